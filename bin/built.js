// The commands run the esbuild bundles in dist/ (one file each: loading out/ as ~40 CommonJS
// modules cost ~50 ms per run): before `npm run build` say so in one line and exit 2 (bad usage),
// rather than crash with a stack trace about a missing module.
//
// The commands also keep V8's compiled code for their bundle in the index cache's folder: compiling
// a 1.3-1.7 MB bundle is ~30-80 ms of every run, reading it back ~5-25 ms. docbook-check and
// docbook-render save it at exit; docbook-ls lives on, so it saves it once SERVER_SAVE_AFTER_MS
// after start (with the code of indexing and the first requests), or at exit if that comes first.
// The file is named after a digest of the bundle's text (V8 itself checks only its length), is
// written atomically, only into a cache folder the run's index cache created or used (never with
// --no-cache), and replaces the one of an older bundle; a writer's temporary file left for
// STALE_TEMP_MS (the writer died) is removed then too. Anything unexpected: a plain require.
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const os = require('os');
const path = require('path');
const v8 = require('v8');
const vm = require('vm');

/** A temporary code cache this old is a dead writer's (a live one renames it within milliseconds); as the index cache's. */
const STALE_TEMP_MS = 10 * 60_000;
const SERVER_SAVE_AFTER_MS = 10_000;

module.exports = function requireBuilt(command, bundled, argv) {
    const file = path.join(__dirname, '..', bundled);
    if (!fs.existsSync(file)) {
        console.error(`${command}: not built (no ${bundled} in ${path.dirname(__dirname)}): run \`npm run build\` first`);
        process.exit(2);
    }
    const dir = argv && codeCacheDir(argv);
    return (dir && loadWithCodeCache(command, file, dir)) || require(file);
};

/** The folder of the index cache for these arguments (--cache-dir, --no-cache, the environment), as the commands decide it. */
function codeCacheDir(argv) {
    const env = process.env;
    if (env.DOCBOOK_OPENSTACK_NO_CACHE && env.DOCBOOK_OPENSTACK_NO_CACHE !== '0') return undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '--') break;
        if (arg === '--no-cache') return undefined;
        // --code-cache-dir: the VS Code client names the server's index cache folder (in the extension's storage).
        if (arg === '--cache-dir' || arg === '--code-cache-dir') return argv[i + 1] && !argv[i + 1].startsWith('-') ? path.resolve(argv[i + 1]) : undefined;
        if (arg.startsWith('--cache-dir=')) return path.resolve(arg.slice('--cache-dir='.length));
    }
    if (env.DOCBOOK_OPENSTACK_CACHE_DIR) return path.resolve(env.DOCBOOK_OPENSTACK_CACHE_DIR);
    const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
    return path.join(base, 'docbook-openstack');
}

function loadWithCodeCache(command, file, dir) {
    let script;
    let cacheFile;
    let cached;
    try {
        const source = fs.readFileSync(file, 'utf8');
        const digest = crypto.createHash('sha1').update(source).update(process.version).digest('hex').slice(0, 20);
        cacheFile = path.join(dir, `code-${command}-${digest}.v8`);
        try {
            cached = fs.readFileSync(cacheFile);
        } catch {
            // none yet
        }
        // The bundle's main sets this V8 flag (boundHeapGrowth, server/src/cli/cliSupport.ts), and V8
        // accepts a code cache only under the flags it was made with: set it before compiling, else
        // every run rejects the cache and writes it again.
        v8.setFlagsFromString('--heap-growing-percent=100');
        script = new vm.Script(Module.wrap(source), { filename: file, cachedData: cached });
    } catch {
        return undefined;
    }
    if (!cached || script.cachedDataRejected) {
        let saved = false;
        const save = () => {
            if (saved) return;
            saved = true;
            saveCodeCache(script, command, cacheFile);
        };
        process.on('exit', save);
        if (command === 'docbook-ls') setTimeout(save, SERVER_SAVE_AFTER_MS).unref();
    }
    const mod = new Module(file, module);
    mod.filename = file;
    mod.paths = Module._nodeModulePaths(path.dirname(file));
    script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
    mod.loaded = true;
    return mod.exports;
}

/** At exit, with the code of this run's functions too; only into a cache folder that exists (the index cache made it). */
function saveCodeCache(script, command, cacheFile) {
    const dir = path.dirname(cacheFile);
    const temp = `${cacheFile}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
        if (!fs.statSync(dir).isDirectory()) return;
        fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(temp, cacheFile);
        for (const name of fs.readdirSync(dir)) {
            if (!name.startsWith(`code-${command}-`) || path.join(dir, name) === cacheFile) continue;
            const file = path.join(dir, name);
            if (!name.endsWith('.tmp')) fs.rmSync(file, { force: true });
            else if (Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > STALE_TEMP_MS) fs.rmSync(file, { force: true });
        }
    } catch {
        // A cache folder this run cannot write in (or a file where it should be): no code cache.
        try {
            fs.rmSync(temp, { force: true });
        } catch {
            // not even that
        }
    }
}
