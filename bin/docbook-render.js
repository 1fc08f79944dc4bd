#!/usr/bin/env node
require('./built')('docbook-render', 'dist/docbook-render.js', process.argv.slice(2)).main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
