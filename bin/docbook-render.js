#!/usr/bin/env node
require('./built')('docbook-render', 'dist/docbook-render.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
