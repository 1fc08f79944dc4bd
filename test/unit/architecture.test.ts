// ARCHITECTURE.md's code map must match the tree: a newcomer who follows it finds every folder it
// names, and every source folder is on it.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '../../..');
/** Folders whose source subfolders the map must name. */
const SOURCE_ROOTS = ['server/src', 'client/src', 'test', 'scripts'];

/** Every folder the map names (a backticked `name/`), resolved against the section it is named in. */
function namedFolders(markdown: string): { named: string; resolved: string | undefined }[] {
    const out: { named: string; resolved: string | undefined }[] = [];
    let base = '';
    let sectionFolders: string[] = [];
    for (const line of markdown.split('\n')) {
        const heading = /^#{2,4} `([^`]+)`/.exec(line);
        if (/^#{2,4} /.test(line)) {
            base = heading ? (heading[1].endsWith('/') ? heading[1].replace(/\/$/, '') : path.posix.dirname(heading[1])) : '';
            sectionFolders = base ? [base] : [];
            if (heading?.[1].endsWith('/')) out.push({ named: heading[1], resolved: isDir(base) ? base : undefined });
            continue;
        }
        for (const m of line.matchAll(/`([\w./-]+\/)`/g)) {
            const name = m[1].replace(/\/$/, '');
            const candidates = [...sectionFolders.map((f) => path.posix.join(f, name)), path.posix.join(base, 'src', name), name, path.posix.join('server/src', name)];
            const resolved = candidates.find(isDir);
            if (resolved && !sectionFolders.includes(resolved)) sectionFolders.push(resolved);
            out.push({ named: m[1], resolved });
        }
    }
    return out;
}

function isDir(rel: string): boolean {
    return rel !== '' && fs.existsSync(path.join(REPO, rel)) && fs.statSync(path.join(REPO, rel)).isDirectory();
}

function sourceFolders(rel: string): string[] {
    const out: string[] = [];
    for (const e of fs.readdirSync(path.join(REPO, rel), { withFileTypes: true })) {
        if (!e.isDirectory()) continue;
        const child = path.posix.join(rel, e.name);
        const files = fs.readdirSync(path.join(REPO, child));
        if (files.some((f) => /\.(ts|mjs|js|json|lua|sh)$/.test(f))) out.push(child);
        out.push(...sourceFolders(child));
    }
    return out;
}

describe('ARCHITECTURE.md', () => {
    const map = fs.readFileSync(path.join(REPO, 'ARCHITECTURE.md'), 'utf8');
    const named = namedFolders(map);

    it('names only folders that exist', () => {
        const missing = named.filter((n) => n.resolved === undefined && n.named !== 'out/').map((n) => n.named);
        assert.deepStrictEqual(missing, []);
    });

    it('names every source folder', () => {
        const resolved = new Set(named.map((n) => n.resolved));
        const unnamed = SOURCE_ROOTS.flatMap(sourceFolders).filter((f) => !resolved.has(f));
        assert.deepStrictEqual(unnamed, []);
    });
});
