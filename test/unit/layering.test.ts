// The server's layers, checked on its source: core → index → features → service (languageService.ts,
// api.ts) know nothing of LSP or VS Code, and no module imports itself through others. Imports are
// read with the TypeScript parser, so comments, strings and `import type` are told apart exactly.
//
// Type-only imports count for cycles too: the compiler erases them, so they cannot break module
// loading, but two modules that name each other's types still cannot be read, moved or tested one
// without the other (the cycle this test was written for, languageService.ts ↔ lsp/protocol.ts,
// was type-only on both sides).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');
const SERVER = path.join(ROOT, 'server', 'src');

interface Import { specifier: string; typeOnly: boolean; line: number }

/** Every module a file names: import/export … from, import x = require(), import(), require(). */
function importsOf(file: string): Import[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const out: Import[] = [];
    const add = (node: ts.Node, specifier: ts.Expression | undefined, typeOnly: boolean): void => {
        if (specifier && ts.isStringLiteralLike(specifier)) {
            out.push({ specifier: specifier.text, typeOnly, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
        }
    };
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node)) {
            const clause = node.importClause;
            const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
            const allNamedAreTypes = !!named?.length && !clause?.name && named.every((e) => e.isTypeOnly);
            add(node, node.moduleSpecifier, !!clause && (clause.isTypeOnly || allNamedAreTypes));
        } else if (ts.isExportDeclaration(node)) {
            const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
            add(node, node.moduleSpecifier, node.isTypeOnly || (!!named?.length && named.every((e) => e.isTypeOnly)));
        } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
            add(node, node.moduleReference.expression, node.isTypeOnly);
        } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
            add(node, node.arguments[0], false);
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
            add(node, node.argument.literal as ts.Expression, true);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return out;
}

function sourceFiles(dir: string): string[] {
    const out: string[] = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...sourceFiles(p));
        else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
    }
    return out.sort();
}

/** The server module a relative specifier names, or undefined for packages and files outside server/src. */
function resolveLocal(from: string, specifier: string): string | undefined {
    if (!specifier.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(from), specifier);
    for (const candidate of [base, base + '.ts', path.join(base, 'index.ts')]) {
        if (candidate.endsWith('.ts') && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    return undefined;
}

const rel = (file: string): string => path.relative(SERVER, file).split(path.sep).join('/');

/** The modules that must stay free of LSP and VS Code: tests and the CLIs use them without a connection. */
function isLspFree(file: string): boolean {
    const r = rel(file);
    return /^(core|index|features)\//.test(r) || r === 'languageService.ts' || r === 'api.ts';
}

/** Packages that bring a connection or an editor; the plain data packages (…-types, …-textdocument) are fine. */
const LSP_PACKAGES = /^(vscode|vscode-languageserver|vscode-languageserver-protocol|vscode-jsonrpc|vscode-languageclient)(\/|$)/;

function layeringViolations(files: string[]): string[] {
    const out: string[] = [];
    for (const file of files) {
        if (!isLspFree(file)) continue;
        for (const imp of importsOf(file)) {
            const target = resolveLocal(file, imp.specifier);
            const intoLsp = target !== undefined && rel(target).startsWith('lsp/');
            if (intoLsp || LSP_PACKAGES.test(imp.specifier)) out.push(`${rel(file)}:${imp.line} imports ${imp.typeOnly ? 'type from ' : ''}'${imp.specifier}'`);
        }
    }
    return out;
}

/** One cycle per strongly connected group of modules (Tarjan), each written as a path a → b → … → a. */
function importCycles(files: string[]): string[] {
    const edges = new Map<string, string[]>();
    for (const file of files) {
        edges.set(file, [...new Set(importsOf(file).map((i) => resolveLocal(file, i.specifier)).filter((t): t is string => t !== undefined))]);
    }
    const indexOf = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[] = [];
    let counter = 0;
    const connect = (v: string): void => {
        indexOf.set(v, counter);
        low.set(v, counter++);
        stack.push(v);
        onStack.add(v);
        for (const w of edges.get(v) ?? []) {
            if (!indexOf.has(w)) {
                connect(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) {
                low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
            }
        }
        if (low.get(v) !== indexOf.get(v)) return;
        const group: string[] = [];
        let w: string;
        do {
            w = stack.pop()!;
            onStack.delete(w);
            group.push(w);
        } while (w !== v);
        const selfImport = edges.get(v)?.includes(v);
        if (group.length > 1 || selfImport) cycles.push(describeCycle(v, new Set(group), edges));
    };
    for (const f of files) if (!indexOf.has(f)) connect(f);
    return cycles;
}

/** A shortest way from `start` back to itself inside its group, for a readable failure. */
function describeCycle(start: string, group: Set<string>, edges: Map<string, string[]>): string {
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
        const v = queue.shift()!;
        for (const w of edges.get(v) ?? []) {
            if (!group.has(w)) continue;
            if (w === start) {
                const chain = [v];
                while (chain[0] !== start) chain.unshift(previous.get(chain[0])!);
                return [...chain, start].map(rel).join(' → ');
            }
            if (!previous.has(w)) {
                previous.set(w, v);
                queue.push(w);
            }
        }
    }
    return [...group].map(rel).join(', ');
}

describe('server layering', () => {
    const files = sourceFiles(SERVER);

    it('reads the imports of every server module, type-only ones included', () => {
        // Guards the checks below against passing because nothing was read.
        assert.ok(files.length > 20, `server modules found: ${files.length}`);
        const service = importsOf(path.join(SERVER, 'languageService.ts'));
        assert.ok(service.some((i) => resolveLocal(path.join(SERVER, 'languageService.ts'), i.specifier)?.includes(`${path.sep}features${path.sep}`)), 'the service imports features');
        assert.ok(files.some((f) => importsOf(f).some((i) => i.typeOnly)), 'some import is type-only');
    });

    it('core, index, features and the service import nothing of LSP or VS Code', () => {
        assert.deepStrictEqual(layeringViolations(files), []);
    });

    it('no import cycle among the server modules', () => {
        assert.deepStrictEqual(importCycles(files), []);
    });
});
