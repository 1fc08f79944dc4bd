// A trap for network use: every way Node opens a connection or resolves a name is replaced by a
// function that records the attempt and throws. In process: `installNetworkTrap()` around a session.
// In a child process: `node --require out/test/fuzz/noNetwork.js` with DOCBOOK_NETWORK_TRAP=1 set
// installs it before any server code loads and reports attempts on stderr as NETWORK-ATTEMPT lines.

// The modules themselves, not `import * as` copies: the patches must be seen by every user.
import dgram = require('dgram');
import dns = require('dns');
import http = require('http');
import https = require('https');
import net = require('net');
import tls = require('tls');

export const ATTEMPT_MARK = 'NETWORK-ATTEMPT';

interface Patch { target: object; key: string; original: unknown }

export interface NetworkTrap { attempts: string[]; restore(): void }

export function installNetworkTrap(report?: (what: string) => void): NetworkTrap {
    const attempts: string[] = [];
    const patches: Patch[] = [];
    const trap = (target: object, key: string, what: string): void => {
        const original = (target as Record<string, unknown>)[key];
        if (typeof original !== 'function') return;
        patches.push({ target, key, original });
        (target as Record<string, unknown>)[key] = function trapped(...args: unknown[]): never {
            const detail = `${what} ${safeJson(args[0])}`;
            attempts.push(detail);
            report?.(detail);
            throw new Error(`network access is not allowed here: ${detail}`);
        };
    };
    trap(net.Socket.prototype, 'connect', 'net.Socket.connect');
    trap(net, 'connect', 'net.connect');
    trap(net, 'createConnection', 'net.createConnection');
    trap(tls, 'connect', 'tls.connect');
    for (const [name, mod] of [['http', http], ['https', https]] as const) {
        trap(mod, 'request', `${name}.request`);
        trap(mod, 'get', `${name}.get`);
    }
    trap(dns, 'lookup', 'dns.lookup');
    trap(dns, 'resolve', 'dns.resolve');
    trap(dns.promises, 'lookup', 'dns.promises.lookup');
    trap(dgram, 'createSocket', 'dgram.createSocket');
    trap(globalThis, 'fetch', 'fetch');
    return {
        attempts,
        restore: () => {
            for (const p of patches.reverse()) (p.target as Record<string, unknown>)[p.key] = p.original;
        },
    };
}

function safeJson(v: unknown): string {
    try {
        return typeof v === 'string' ? v : JSON.stringify(v)?.slice(0, 200) ?? String(v);
    } catch {
        return String(v);
    }
}

if (process.env.DOCBOOK_NETWORK_TRAP === '1') {
    installNetworkTrap((what) => process.stderr.write(`${ATTEMPT_MARK} ${what}\n`));
}
