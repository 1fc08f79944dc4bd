#!/usr/bin/env node
// dist/server.js is the bundled server the extension runs too; loading it starts it with these arguments.
require('./built')('docbook-ls', 'dist/server.js');
