#!/usr/bin/env node
// dist/server.js is the bundled server; loading it starts it with these arguments. The VS Code client starts this file too.
require('./built')('docbook-ls', 'dist/server.js', process.argv.slice(2));
