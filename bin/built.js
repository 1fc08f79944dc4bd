// The commands run the esbuild bundles in dist/ (one file each: loading out/ as ~40 CommonJS
// modules cost ~50 ms per run): before `npm run build` say so in one line and exit 2 (bad usage),
// rather than crash with a stack trace about a missing module.
const fs = require('fs');
const path = require('path');

module.exports = function requireBuilt(command, bundled) {
    const file = path.join(__dirname, '..', bundled);
    if (!fs.existsSync(file)) {
        console.error(`${command}: not built (no ${bundled} in ${path.dirname(__dirname)}): run \`npm run build\` first`);
        process.exit(2);
    }
    return require(file);
};
