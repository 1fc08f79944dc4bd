// Figures of `docbook/bookTree` (not a test: it prints them): the whole tree, the books alone and
// each book's tree, as time and JSON size. The whole tree is what the Books view asked for at every
// 'ready' until it loaded a book at a time; at 10k files (340 books) it is megabytes.
//   node out/test/bench/bookTreeFigures.js [--copies N]   (default 34 copies of the 3 corpus trees)
// prints the figures in process (the language service plus JSON.stringify: the server's event loop)
// and over LSP (the round trip a client sees). benchIndex.ts prints the LSP ones for its runs.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { BookNode, BookTreeParams } from '../../server/src/api';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { CORPUS, LspClient } from '../lsp/lspClient';
import { median, ms } from './figures';

const RUNS = 7;

function kb(bytes: number): string {
    return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
}

type Ask = (params: BookTreeParams | undefined) => Promise<{ nodes: BookNode[]; bytes: number }>;

/** Lines of figures: the whole tree and the books alone (median and max of RUNS), each book once (median and max over books). */
export async function bookTreeFigures(ask: Ask): Promise<string[]> {
    const timed = async (params: BookTreeParams | undefined) => {
        const started = performance.now();
        const answer = await ask(params);
        return { ...answer, ms: performance.now() - started };
    };
    const repeated = async (params: BookTreeParams | undefined) => {
        const runs = [];
        for (let i = 0; i < RUNS; i++) runs.push(await timed(params));
        return { ms: runs.map((r) => r.ms), bytes: runs[0].bytes, nodes: runs[0].nodes };
    };
    const full = await repeated(undefined);
    const only = await repeated({ books: 'only' });
    const perBook = [];
    for (const book of only.nodes) perBook.push(await timed({ book: book.uri }));
    const times = perBook.map((b) => b.ms);
    const sizes = perBook.map((b) => b.bytes);
    return [
        `whole tree     ${ms(median(full.ms)).padStart(8)} median, ${ms(Math.max(...full.ms)).padStart(8)} max of ${RUNS}   ${kb(full.bytes).padStart(8)}  (${full.nodes.length} books)`,
        `books only     ${ms(median(only.ms)).padStart(8)} median, ${ms(Math.max(...only.ms)).padStart(8)} max of ${RUNS}   ${kb(only.bytes).padStart(8)}`,
        `one book       ${ms(median(times)).padStart(8)} median, ${ms(Math.max(...times)).padStart(8)} max over ${perBook.length} books   ${kb(median(sizes))} median, ${kb(Math.max(...sizes))} max`,
    ];
}

/** `ask` over LSP: the size is that of the JSON the client received (re-serialized). */
export function askOverLsp(client: LspClient): Ask {
    return async (params) => {
        const nodes = await client.request<BookNode[]>('docbook/bookTree', params);
        return { nodes, bytes: Buffer.byteLength(JSON.stringify(nodes)) };
    };
}

async function main(): Promise<void> {
    const copiesArg = process.argv.indexOf('--copies');
    const copies = copiesArg > 0 ? Number(process.argv[copiesArg + 1]) : 34;
    const trees = ['training-guides', 'security-guide-2014', 'ha-guide'].map((t) => path.join(CORPUS, t));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-books-'));
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cache-'));
    process.env.DOCBOOK_OPENSTACK_CACHE_DIR = cacheDir;
    try {
        for (let i = 0; i < copies; i++) for (const t of trees) fs.cpSync(t, path.join(dir, `copy${i}`, path.basename(t)), { recursive: true });
        const load = () => `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
        console.log(`node ${process.version}, ${os.cpus().length} cores; ${copies} copies of the 3 corpus trees in one folder`);

        const service = new DocbookLanguageService(new NodeWorkspace());
        await service.initialize([dir], defaultSettings());
        const stats = service.stats();
        console.log(`\nIn process (bookTree + JSON.stringify), ${stats.files} files, ${stats.books} books; ${load()}`);
        const serverSide: Ask = async (params) => {
            const nodes = service.bookTree(params);
            return { nodes, bytes: Buffer.byteLength(JSON.stringify(nodes)) };
        };
        for (const line of await bookTreeFigures(serverSide)) console.log(`  ${line}`);

        const client = new LspClient();
        await client.start([dir]);
        // Figures once the workspace's diagnostics are published (no publish for a second).
        for (let last = -1; last !== client.published.length;) {
            last = client.published.length;
            await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        console.log(`\nOver LSP (docbook-ls over stdio, round trip); ${load()}`);
        for (const line of await bookTreeFigures(askOverLsp(client))) console.log(`  ${line}`);
        await client.stop();
        console.log(`\nafter: ${load()}`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(cacheDir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main().catch((e) => {
        console.error(e);
        process.exit(1);
    });
}
