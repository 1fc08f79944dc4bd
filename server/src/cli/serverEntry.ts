// Entry point of the bundled server (dist/server.js) that the VS Code client starts over IPC.

import { main } from './docbookLs';

main(process.argv.slice(2));
