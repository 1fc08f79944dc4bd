// Jing, the reference RELAX NG validator (Debian's `jing` package), run the way the OpenStack gate
// validated: each file on its own, no XInclude processing, no ID/IDREF checks (-i). Tests compare the
// schema check and the element completion with what it says. Java is used by tests only.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const JING_JAR = '/usr/share/java/jing.jar';
export const SCHEMA_RNG = path.resolve(__dirname, '../../schemas/docbookxi.rng');

export interface JingError { file: string; line: number; column: number; message: string }

/** Why Jing cannot run here, or undefined when it can. */
export function jingMissing(): string | undefined {
    if (!fs.existsSync(JING_JAR)) return `Jing not installed (${JING_JAR}; apt-get install -y --no-install-recommends jing)`;
    const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
    if (java.error || java.status !== 0) return 'java not found (apt-get install -y --no-install-recommends default-jre-headless jing)';
    return undefined;
}

const LINE = /^(?:(.*?):(\d+):(\d+): )?(error|fatal): (.*)$/;

function jingOnce(files: string[], schema: string): { found: Map<string, JingError[]>; fatal?: string } {
    const run = spawnSync('java', ['-cp', JING_JAR, 'com.thaiopensource.relaxng.util.Driver', '-i', schema, ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const found = new Map<string, JingError[]>();
    let fatal: string | undefined;
    for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
        const m = LINE.exec(line);
        if (!m) continue;
        if (m[4] === 'fatal') {
            fatal ??= m[5];
            continue;
        }
        if (m[1] === undefined) continue;
        const file = path.resolve(m[1]);
        const list = found.get(file) ?? [];
        list.push({ file, line: Number(m[2]), column: Number(m[3]), message: m[5] });
        found.set(file, list);
    }
    return { found, fatal };
}

/** An entity file the DOCTYPE loads that Jing cannot read (missing, or a URL: nothing is fetched here). */
function unreadableEntityFile(file: string): string | undefined {
    const head = fs.readFileSync(file, 'utf8').slice(0, 20_000);
    const doctype = /<!DOCTYPE[\s\S]*?(?:\]\s*>|>)/.exec(head)?.[0];
    if (!doctype) return undefined;
    for (const m of doctype.matchAll(/SYSTEM\s+(["'])([^"']*)\1/g)) {
        const ref = m[2];
        if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return `entity file ${ref} is a URL`;
        if (!fs.existsSync(path.resolve(path.dirname(file), ref))) return `entity file ${ref} not found`;
    }
    return undefined;
}

/**
 * Jing's errors for each file, by absolute path. A fatal error (an entity file that cannot be read)
 * stops a whole run without naming the file that caused it, so such a run is split in halves until
 * the file is found; it is listed in `unreadable` with Jing's message.
 */
export function runJing(files: string[], schema = SCHEMA_RNG): { errors: Map<string, JingError[]>; unreadable: Map<string, string> } {
    const errors = new Map<string, JingError[]>();
    const unreadable = new Map<string, string>();
    const readable: string[] = [];
    for (const f of files.map((x) => path.resolve(x))) {
        const why = unreadableEntityFile(f);
        if (why) unreadable.set(f, why);
        else readable.push(f);
    }
    const pending: string[][] = [readable];
    while (pending.length) {
        const batch = pending.pop()!;
        if (!batch.length) continue;
        const { found, fatal } = jingOnce(batch, schema);
        if (fatal === undefined) {
            for (const [f, list] of found) errors.set(f, list);
        } else if (batch.length === 1) {
            unreadable.set(batch[0], fatal);
        } else {
            const half = Math.ceil(batch.length / 2);
            pending.push(batch.slice(0, half), batch.slice(half));
        }
    }
    return { errors, unreadable };
}
