// A workspace built to break a language server: every hostile file of issue 5 next to an untouched
// copy of a real tree (ha-guide), whose references must keep resolving whatever its neighbours do.
// Built in a temp folder; the corpus is only read.

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NS } from '../fixtures';
import { CORPUS } from './mutate';

export { NS };
export const DEEP_LEVELS = 100_000;
export const BIG_BYTES = 50 * 1024 * 1024;
export const MAX_CYCLE = 50;

export interface HostileTree {
    /** Temp folder holding everything; remove it when done. */
    tmp: string;
    /** The workspace folder. */
    root: string;
    /** A folder beside the workspace, outside it. */
    outside: string;
    haGuide: string;
    hostile: string;
    /** Name -> path of each hostile file. */
    files: Record<string, string>;
    /** Whether a FIFO could be made (mkfifo). */
    hasFifo: boolean;
    /** The first line of /etc/passwd, which no answer may ever contain. */
    secret: string;
}

function chapter(id: string, body: string, title = id): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<chapter ${NS} xml:id="${id}">\n<title>${title}</title>\n${body}\n</chapter>\n`;
}

function write(file: string, content: string | Buffer): string {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
}

/** Billion laughs: ten levels of ten references each, 10^9 "lol"s if anything expanded it. */
export function billionLaughs(): string {
    let decls = '<!ENTITY lol0 "lol">\n';
    for (let i = 1; i <= 9; i++) decls += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">\n`;
    return `<?xml version="1.0"?>\n<!DOCTYPE chapter [\n${decls}]>\n<chapter ${NS} xml:id="laughs">\n<title>&lol9; laughs</title>\n<para>&lol9;&lol9;&lol9; <xref linkend="laughs"/></para>\n</chapter>\n`;
}

/** The same with parameter entities, whose values are expanded where they are declared. */
export function parameterLaughs(): string {
    let decls = '<!ENTITY % p0 "lollollollollollollollol">\n';
    for (let i = 1; i <= 12; i++) decls += `<!ENTITY % p${i} "${`%p${i - 1};`.repeat(10)}">\n`;
    return `<!DOCTYPE chapter [\n${decls}<!ENTITY e "%p12;">\n]>\n<chapter ${NS} xml:id="pe-laughs"><title>&e;</title></chapter>\n`;
}

/** Parameter entities referenced before they are declared: expanded only when read, 10^15 times over. */
export function lazyParameterLaughs(): string {
    let decls = '';
    for (let i = 0; i < 15; i++) decls += `<!ENTITY % q${i} "${`%q${i + 1};`.repeat(10)}">\n`;
    return `<!DOCTYPE chapter [\n${decls}<!ENTITY % q15 "<!ENTITY x 'x'>">\n%q0;\n]>\n<chapter ${NS} xml:id="pe-lazy"><title>&x;</title></chapter>\n`;
}

/** 100,000 nested sections with titles (an outline as deep as the file), and the same unclosed. */
export function deepSections(levels = DEEP_LEVELS): string {
    return `<chapter ${NS} xml:id="deep"><title>Deep</title>` + '<section><title>s</title>'.repeat(levels) + '<para><xref linkend="deep"/></para>' + '</section>'.repeat(levels) + '</chapter>\n';
}

export function deepUnclosed(levels = DEEP_LEVELS): string {
    return `<chapter ${NS} xml:id="deep-open"><title>Open</title>` + '<section xml:id="s"><title>s</title><para>'.repeat(levels);
}

/** A well-formed chapter of about `bytes` bytes, an id near the end. */
export function bigChapter(bytes: number): string {
    const para = '<para>OpenStack Compute (nova) is a cloud computing fabric controller. <emphasis>Big</emphasis> &amp; <xref linkend="big"/></para>\n';
    const head = `<chapter ${NS} xml:id="big"><title>Big</title>\n`;
    const tail = '<section xml:id="big-end"><title>End</title></section>\n</chapter>\n';
    return head + para.repeat(Math.ceil((bytes - head.length - tail.length) / para.length)) + tail;
}

/** Include cycles of every length 1..max: file k of cycle n includes file (k+1) mod n. */
export function cycleFiles(dir: string, max = MAX_CYCLE): Record<string, string> {
    const out: Record<string, string> = {};
    for (let n = 1; n <= max; n++) {
        for (let k = 0; k < n; k++) {
            out[path.join(dir, `c${n}-${k}.xml`)] = `<section ${NS} xml:id="c${n}-${k}"><title>Cycle ${n} part ${k}</title><xi:include href="c${n}-${(k + 1) % n}.xml"/></section>\n`;
        }
    }
    const includes = Array.from({ length: max }, (_, i) => `<xi:include href="c${i + 1}-0.xml"/>`).join('\n');
    out[path.join(dir, 'bk-cycles.xml')] = `<book ${NS} xml:id="bk-cycles"><title>Cycles</title>\n${includes}\n</book>\n`;
    return out;
}

/** ISO-8859-1 bytes, declared in the XML declaration; é and ü before a reference on the same line. */
export function latin1Bytes(): Buffer {
    const text = `<?xml version="1.0" encoding="ISO-8859-1"?>\n<chapter ${NS} xml:id="latin1">\n<title>Café</title>\n<para>Café über <xref linkend="latin1-target"/></para>\n<section xml:id="latin1-target"><title>Ça</title></section>\n</chapter>\n`;
    return Buffer.from(text, 'latin1');
}

/** UTF-16 text with astral characters before a reference; ids end in the byte order, so both files can live together. */
export function utf16Text(endian: 'le' | 'be'): string {
    return `<?xml version="1.0" encoding="UTF-16"?>\n<chapter ${NS} xml:id="utf16-${endian}">\n<title>Ünïcode</title>\n<para>😀 𝔘 <xref linkend="utf16-${endian}-target"/></para>\n<section xml:id="utf16-${endian}-target"><title>T</title></section>\n</chapter>\n`;
}

export function utf16Bytes(endian: 'le' | 'be'): Buffer {
    const le = Buffer.from('\uFEFF' + utf16Text(endian), 'utf16le');
    if (endian === 'le') return le;
    const be = Buffer.alloc(le.length);
    for (let i = 0; i + 1 < le.length; i += 2) { be[i] = le[i + 1]; be[i + 1] = le[i]; }
    return be;
}

export const CRLF_TEXT = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<chapter ${NS} xml:id="crlf">`,
    '<title>Line ends</title>',
    '<para>😀😀 𝔘 <xref linkend="crlf-target"/> and <xref linkend="ha-guide-ref-placeholder"/></para>',
    '<section xml:id="crlf-target"><title>Target 😀</title></section>',
    '</chapter>',
    '',
].join('\r\n');

/** A chapter that names /etc/passwd and URLs as entities and includes: nothing of them may show. */
export function externalEntities(): string {
    return `<?xml version="1.0"?>
<!DOCTYPE chapter [
<!ENTITY passwd SYSTEM "/etc/passwd">
<!ENTITY passwd2 SYSTEM "file:///etc/passwd">
<!ENTITY % passwdpe SYSTEM "/etc/passwd">
%passwdpe;
<!ENTITY remote SYSTEM "http://127.0.0.1:9/remote.ent">
<!ENTITY % remotepe SYSTEM "https://example.invalid/remote.ent">
%remotepe;
<!ENTITY % zero SYSTEM "/dev/zero">
%zero;
<!ENTITY % random SYSTEM "/dev/urandom">
%random;
]>
<chapter ${NS} xml:id="external">
<title>&passwd; &remote;</title>
<para>&passwd; &passwd2; &remote;</para>
<xi:include href="/etc/passwd" parse="text"/>
<xi:include href="/etc/passwd"/>
<xi:include href="http://127.0.0.1:9/chapter.xml"/>
<xi:include href="https://example.invalid/chapter.xml"/>
<xi:include href="/dev/zero"/>
<xi:include href="/dev/urandom" parse="text"/>
<para><imagedata fileref="http://127.0.0.1:9/image.png"/></para>
</chapter>
`;
}

export function buildHostileTree(options: { fifo?: boolean } = {}): HostileTree {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-hostile-'));
    const root = path.join(tmp, 'ws');
    const outside = path.join(tmp, 'outside');
    const haGuide = path.join(root, 'ha-guide');
    const hostile = path.join(root, 'hostile');
    fs.mkdirSync(hostile, { recursive: true });
    fs.cpSync(path.join(CORPUS, 'ha-guide'), haGuide, { recursive: true });
    // The corpus files are read-only; the copy must be removable.
    execFileSync('chmod', ['-R', 'u+w', haGuide]);
    const files: Record<string, string> = {};
    const h = (name: string): string => path.join(hostile, name);

    files.deep = write(h('deep.xml'), deepSections());
    files.deepUnclosed = write(h('deep-unclosed.xml'), deepUnclosed());
    files.big = write(h('big.xml'), bigChapter(BIG_BYTES));
    const junk = Buffer.alloc(64 * 1024);
    let seed = 12345;
    for (let i = 0; i < junk.length; i++) { seed = (seed * 1103515245 + 12345) >>> 0; junk[i] = seed >>> 24; }
    junk[100] = 0;
    files.binary = write(h('binary.xml'), junk);
    files.dirXml = path.join(hostile, 'dir.xml');
    files.insideDirXml = write(path.join(files.dirXml, 'inner.xml'), chapter('inside-dir-xml', '<para>A chapter in a folder named dir.xml.</para>'));
    files.dangling = h('dangling.xml');
    fs.symlinkSync(h('nowhere.xml'), files.dangling);
    files.selfLink = h('self.xml');
    fs.symlinkSync(files.selfLink, files.selfLink);
    const loop = h('loop');
    files.inLoop = write(path.join(loop, 'in-loop.xml'), chapter('in-loop', '<para>Reached once, whatever the loops.</para>'));
    fs.symlinkSync('..', path.join(loop, 'parent'));
    fs.symlinkSync(loop, path.join(loop, 'self'));
    fs.symlinkSync(path.join(loop, 'b'), path.join(loop, 'a'));
    fs.symlinkSync(path.join(loop, 'a'), path.join(loop, 'b'));
    files.zero = h('zero.xml');
    fs.symlinkSync('/dev/zero', files.zero);
    files.random = h('random.xml');
    fs.symlinkSync('/dev/urandom', files.random);
    let hasFifo = false;
    if (options.fifo !== false) {
        try {
            execFileSync('mkfifo', [h('fifo-target')]);
            files.fifo = h('fifo.xml');
            fs.symlinkSync(h('fifo-target'), files.fifo);
            hasFifo = true;
        } catch { /* no mkfifo: that case is skipped */ }
    }
    for (const [file, text] of Object.entries(cycleFiles(h('cycles')))) write(file, text);
    files.cycleBook = h('cycles/bk-cycles.xml');
    files.secret = write(path.join(outside, 'secret.xml'), chapter('outside-secret', '<para>Outside the workspace.</para>', 'Outside'));
    files.outsideIncluder = write(h('bk-outside.xml'), `<book ${NS} xml:id="bk-outside"><title>Outside</title>\n<xi:include href="../../outside/secret.xml"/>\n<chapter xml:id="outside-user"><title>U</title><para><xref linkend="outside-secret"/></para></chapter>\n</book>\n`);
    files.laughs = write(h('laughs.xml'), billionLaughs());
    files.peLaughs = write(h('pe-laughs.xml'), parameterLaughs());
    files.peLazy = write(h('pe-lazy.xml'), lazyParameterLaughs());
    files.external = write(h('external.xml'), externalEntities());
    files.latin1 = write(h('latin1.xml'), latin1Bytes());
    files.utf16le = write(h('utf16le.xml'), utf16Bytes('le'));
    files.utf16be = write(h('utf16be.xml'), utf16Bytes('be'));
    files.crlf = write(h('crlf.xml'), CRLF_TEXT);
    const secret = fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0];
    return { tmp, root, outside, haGuide, hostile, files, hasFifo, secret };
}

export function removeTree(tmp: string): void {
    fs.rmSync(tmp, { recursive: true, force: true });
}
