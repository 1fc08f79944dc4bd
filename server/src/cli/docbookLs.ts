// `docbook-ls --stdio`: the language server for any LSP editor (also --node-ipc, --socket=N).

import { startServer } from '../lsp/server';
import { boundHeapGrowth } from './cliSupport';

const USAGE = 'usage: docbook-ls --stdio | --node-ipc | --socket=PORT [--no-cache]\n\nThe DocBook language server (Language Server Protocol).\n  --no-cache  neither read nor write the index cache ($XDG_CACHE_HOME/docbook-openstack or ~/.cache/docbook-openstack)';

export function main(argv: string[]): void {
    if (argv.includes('--help') || argv.includes('-h')) {
        process.stdout.write(USAGE + '\n');
        return;
    }
    if (argv.includes('--version')) {
        process.stdout.write('docbook-ls 0.1.0\n');
        return;
    }
    if (!argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe') || a.startsWith('--clientProcessId'))) {
        process.stderr.write(`docbook-ls: choose a transport\n${USAGE}\n`);
        process.exitCode = 2;
        return;
    }
    // A bug in one request must never take the server down: log it and keep serving.
    process.on('uncaughtException', (e) => process.stderr.write(`docbook-ls: uncaught ${e.stack ?? e}\n`));
    process.on('unhandledRejection', (e) => process.stderr.write(`docbook-ls: unhandled ${e instanceof Error ? e.stack : String(e)}\n`));
    boundHeapGrowth();
    startServer(undefined, { noCache: argv.includes('--no-cache') });
}
