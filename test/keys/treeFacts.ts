// What the keystroke scenarios expect, read straight from the tree's files with regular
// expressions (never from the code under test): files, ids, glossary terms, includes, titles.

import { rootElement } from '../helpers';
import * as fs from 'fs';
import * as path from 'path';

export interface XmlFile {
    /** Absolute path. */
    path: string;
    /** Relative to the workspace, with forward slashes (what Ctrl+P is given). */
    rel: string;
    text: string;
    lines: string[];
    root: string | undefined;
}

/** Text content with tags dropped and whitespace normalised, as a title reads. */
export function plainText(xml: string): string {
    return xml.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();
}

export function firstTitle(text: string): string | undefined {
    const m = /<title(?:\s[^>]*)?>([\s\S]*?)<\/title>/.exec(text);
    return m ? plainText(m[1]) : undefined;
}

/** 1-based line and column of an offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, col: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

export class TreeFacts {
    readonly files: XmlFile[];

    constructor(readonly root: string) {
        const out: XmlFile[] = [];
        const walk = (dir: string): void => {
            for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
                if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'target') continue;
                const p = path.join(dir, e.name);
                if (e.isDirectory()) walk(p);
                else if (e.name.endsWith('.xml')) {
                    const text = fs.readFileSync(p, 'utf8');
                    out.push({ path: p, rel: path.relative(root, p).split(path.sep).join('/'), text, lines: text.split('\n'), root: rootElement(text) });
                }
            }
        };
        walk(root);
        this.files = out.sort((a, b) => a.path.localeCompare(b.path));
    }

    file(abs: string): XmlFile | undefined {
        return this.files.find((f) => f.path === abs);
    }

    idsOf(f: XmlFile): string[] {
        return [...f.text.matchAll(/\sxml:id\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
    }

    /**
     * Ids whose element an include leaves out while taking its children
     * (xpointer="… xpath(//*[@xml:id = 'ID']/*[not(self::db:title)])", as OpenStack books include
     * labs): not in the book's scope even though their file is.
     */
    idsLeftOutByXpointer(): Set<string> {
        const out = new Set<string>();
        for (const f of this.files) {
            for (const m of f.text.matchAll(/xpointer\s*=\s*"[^"]*@xml:id\s*=\s*'([^']+)'\]\/\*/g)) out.add(m[1]);
        }
        return out;
    }

    allIds(): Set<string> {
        return new Set(this.files.flatMap((f) => this.idsOf(f)));
    }

    /** Where `id` is defined: the file and the 1-based line of its xml:id attribute. */
    definitionOf(id: string): { file: XmlFile; line: number } | undefined {
        for (const f of this.files) {
            const m = new RegExp(`\\sxml:id\\s*=\\s*"${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).exec(f.text);
            if (m) return { file: f, line: lineCol(f.text, m.index + 1).line };
        }
        return undefined;
    }

    /** Relative xi:include targets of a file, resolved, in document order. */
    includesOf(f: XmlFile): string[] {
        return [...f.text.matchAll(/<xi:include\s[^>]*?href\s*=\s*"([^"#]+)"/g)]
            .filter((m) => !/^[a-z]+:/i.test(m[1]))
            .map((m) => path.resolve(path.dirname(f.path), m[1]));
    }

    /** Files reachable from `start` through includes (itself included). */
    closureOf(start: string): Set<string> {
        const seen = new Set<string>();
        const visit = (p: string): void => {
            if (seen.has(p)) return;
            seen.add(p);
            const f = this.file(p);
            if (f) for (const t of this.includesOf(f)) visit(t);
        };
        visit(start);
        return seen;
    }

    /** Glossary terms of the glossary files among `files`. */
    termsIn(files: Set<string>): string[] {
        return this.glossaryTerms(this.files.filter((f) => files.has(f.path)));
    }

    /**
     * The glossary the build passes in for a book (`<glossary role="auto"/>`): the setting
     * docbook.glossaryCollection's default, ../glossary/glossary-terms.xml, looked up from the
     * book's folder upward, within the tree.
     */
    collectionFor(book: string): string | undefined {
        for (let dir = path.dirname(book); ; dir = path.dirname(dir)) {
            const found = this.file(path.resolve(dir, '../glossary/glossary-terms.xml'));
            if (found) return found.path;
            if (dir === this.root || path.dirname(dir) === dir || !dir.startsWith(this.root)) return undefined;
        }
    }

    /** Terms of the glossterms used outside glossaries (what authors wrote). */
    glosstermsUsed(): string[] {
        const used = new Set<string>();
        for (const f of this.files.filter((x) => x.root !== 'glossary')) {
            for (const m of f.text.matchAll(/<glossterm>([^<]+)<\/glossterm>/g)) used.add(plainText(m[1]));
        }
        return [...used];
    }

    books(): XmlFile[] {
        return this.files.filter((f) => f.root === 'book');
    }

    /** Files reachable from some book or set through includes. */
    inBooks(): Set<string> {
        const seen = new Set<string>();
        for (const f of this.files) if (f.root === 'book' || f.root === 'set') for (const p of this.closureOf(f.path)) seen.add(p);
        return seen;
    }

    /** Glossary terms: the <glossterm> of every <glossentry> in the tree. */
    glossaryTerms(files = this.files): string[] {
        const terms = new Set<string>();
        for (const f of files) {
            for (const e of f.text.matchAll(/<glossentry\b[\s\S]*?<\/glossentry>/g)) {
                const t = /<glossterm(?:\s[^>]*)?>([\s\S]*?)<\/glossterm>/.exec(e[0]);
                if (t) terms.add(plainText(t[1]));
            }
        }
        return [...terms];
    }

    /** Names in a folder as path completion lists them: sub-folders with "/", then files matching `file`. */
    folderEntries(dir: string, file: (name: string) => boolean): string[] {
        return fs.readdirSync(dir, { withFileTypes: true })
            .filter((e) => !e.name.startsWith('.'))
            .filter((e) => e.isDirectory() || file(e.name))
            .map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    }

    /**
     * A line of a chapter in a book where an author would keep typing: a `<para>` line whose text
     * goes on to the next line (no `<` after the opening tag on this line), and a non-empty word.
     */
    paragraphLineIn(f: XmlFile, minLine = 1): { line: number; endCol: number } | undefined {
        for (let i = minLine - 1; i < f.lines.length; i++) {
            const l = f.lines[i];
            const m = /^(\s*)<para>([^<]*\w[^<]*)$/.exec(l);
            if (m && !f.lines[i + 1]?.trim().startsWith('</para>')) return { line: i + 1, endCol: l.length + 1 };
        }
        return undefined;
    }
}
