#!/usr/bin/env node
require('./built')('docbook-check', 'dist/docbook-check.js', process.argv.slice(2)).main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
