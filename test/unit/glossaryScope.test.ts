// A glossterm's completion offers one entry per term, found from the files in scope; it must be
// exactly the first entry per term of the full scope (every entry of the workspace tested, as the
// index did before), for files in books and in none, with one glossary or several copies of it.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { GlossLocation } from '../../server/src/index/tables';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { CORPUS, indexBehind, listXml, requireCorpus } from '../helpers';
import { NS, serviceOn } from '../fixtures';

/** Every entry a glossterm in `file` can link to, each tested: the collections' first for a file in no book. */
function fullScope(index: WorkspaceIndex, file: string): GlossLocation[] {
    const out: GlossLocation[] = [];
    const collections = new Set(index.glossaryCollectionsFor(file));
    const books = [...index.booksOf(file)];
    for (const term of index.allGlossTerms()) {
        for (const g of index.glossEntriesFor(term)) {
            if (!books.length || collections.has(g.file) || books.some((b) => index.isInBook(g.file, g.entry.entryStart, b))) out.push(g);
        }
    }
    if (!books.length) out.sort((a, b) => Number(!collections.has(a.file)) - Number(!collections.has(b.file)));
    return out;
}

function firstPerTerm(all: readonly GlossLocation[]): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const g of all) {
        if (seen.has(g.entry.term)) continue;
        seen.add(g.entry.term);
        out.push(`${g.entry.term} @ ${g.file}:${g.entry.entryStart}`);
    }
    return out;
}

async function compareOn(folder: string, service?: DocbookLanguageService, files = listXml(folder)): Promise<{ inBook: number; inNoBook: number }> {
    if (!service) {
        service = new DocbookLanguageService(new NodeWorkspace(), defaultSettings());
        await service.initialize([folder], defaultSettings());
    }
    const index = indexBehind(service);
    const counts = { inBook: 0, inNoBook: 0 };
    for (const file of files) {
        const expected = firstPerTerm(fullScope(index, file));
        const actual = index.glossaryTermsInScope(file).map((g) => `${g.entry.term} @ ${g.file}:${g.entry.entryStart}`);
        assert.deepStrictEqual(actual, expected, path.relative(folder, file));
        if (expected.length) counts[index.booksOf(file).size ? 'inBook' : 'inNoBook']++;
    }
    return counts;
}

describe('glossary terms in scope', function () {
    this.timeout(120_000);
    before(function () { requireCorpus(this); });

    it('are the first entry per term of the whole scope, on each corpus tree', async () => {
        let total = { inBook: 0, inNoBook: 0 };
        for (const tree of ['training-guides', 'ha-guide', 'security-guide-2014']) {
            const c = await compareOn(path.join(CORPUS, tree));
            total = { inBook: total.inBook + c.inBook, inNoBook: total.inNoBook + c.inNoBook };
        }
        assert.ok(total.inBook > 50 && total.inNoBook > 20, `files with terms in scope: ${JSON.stringify(total)}`);
    });

    it('are the same with several copies of a guide and its glossary in one workspace', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-copies-'));
        try {
            for (const copy of ['b', 'a', 'c']) fs.cpSync(path.join(CORPUS, 'ha-guide'), path.join(dir, copy, 'ha-guide'), { recursive: true });
            const c = await compareOn(dir);
            assert.ok(c.inBook > 0 && c.inNoBook > 0, JSON.stringify(c));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it('take the first of several entries of a term by place, and every term for a file in no book', async () => {
        const glossary = (terms: string[]): string => `<glossary ${NS}><title>G</title>${terms.map((t) => `<glossentry><glossterm>${t}</glossterm><glossdef><para>${t} def</para></glossdef></glossentry>`).join('')}</glossary>`;
        const { service, file } = await serviceOn({
            'bk.xml': `<book ${NS}><title>B</title><xi:include href="ch.xml"/><xi:include href="z/g2.xml"/><xi:include href="a/g1.xml"/></book>`,
            'ch.xml': `<chapter ${NS}><title>C</title><para><glossterm>Alpha</glossterm></para></chapter>`,
            'a/g1.xml': glossary(['Beta', 'Alpha', 'Alpha']),
            'z/g2.xml': glossary(['Alpha', 'Gamma']),
            'loose/x.xml': `<chapter ${NS}><title>X</title><para><glossterm>Gamma</glossterm></para></chapter>`,
        });
        const index = indexBehind(service);
        // Alpha: a/g1.xml sorts before z/g2.xml, and its first Alpha before its second.
        const alpha = index.glossaryTermsInScope(file('ch.xml')).find((g) => g.entry.term === 'Alpha');
        assert.strictEqual(alpha?.file, file('a/g1.xml'));
        assert.strictEqual(index.glossaryTermsInScope(file('loose/x.xml')).length, 3, 'a file in no book sees every term');
        await compareOn('', service, ['ch.xml', 'loose/x.xml', 'a/g1.xml', 'z/g2.xml'].map(file));
    });
});
