// The preview page in a real browser (Debian's headless Chromium, driven by playwright-core): a
// hostile document runs no script and loads nothing, the strict Content-Security-Policy holds even
// for markup that would slip past the renderer, real images of the corpus load, and a screenshot of a
// real chapter is saved to test-output/ for a human to look at.

import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Browser, chromium } from 'playwright-core';
import { providePreview, renderStandalonePage, PreviewResult } from '../../server/src/features/preview';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { CORPUS, contextOf, requireCorpus, skipBecause } from '../helpers';

const CHROMIUM = '/usr/bin/chromium';
const REPO = path.resolve(__dirname, '../../..');
const OUTPUT = path.join(REPO, 'test-output');
const NS = 'xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:h="http://www.w3.org/1999/xhtml" version="5.0"';

/** Every way a document could try to run script or reach the network, aimed at the test's server. */
function hostileChapter(server: string): string {
    return `<?xml version="1.0"?>
<!DOCTYPE chapter [
  <!ENTITY evil '<h:script xmlns:h="http://www.w3.org/1999/xhtml">window.__pwned = "entity"; fetch("${server}/entity-fetch")</h:script><h:img xmlns:h="http://www.w3.org/1999/xhtml" src="${server}/entity-img" onerror="window.__pwned = 1"/>'>
]>
<chapter ${NS} xml:id="evil">
  <title>Hostile chapter</title>
  <h:script>window.__pwned = "script"; document.title = "pwned"; fetch("${server}/script-fetch")</h:script>
  <h:script src="${server}/script.js"/>
  <script>window.__pwned = "docbook script"</script>
  <para onclick="window.__pwned = 'click'" onmouseover="window.__pwned = 'hover'">Hover and click me</para>
  <para><link xlink:href="javascript:window.__pwned='link'">javascript link</link>
    <link xlink:href="data:text/html,&lt;script&gt;parent.__pwned=1&lt;/script&gt;">data link</link></para>
  <h:iframe src="${server}/iframe"/>
  <h:iframe srcdoc="&lt;script&gt;parent.__pwned = 'srcdoc'&lt;/script&gt;"/>
  <h:object data="${server}/object"/><h:embed src="${server}/embed"/>
  <h:img src="${server}/img" onerror="window.__pwned = 'onerror'"/>
  <h:link rel="stylesheet" href="${server}/link.css"/>
  <h:style>@import url("${server}/import.css"); body { background: url("${server}/background.png") }</h:style>
  <h:meta http-equiv="refresh" content="0;url=${server}/refresh"/>
  <h:base href="${server}/"/>
  <h:form action="${server}/form"><h:input type="image" src="${server}/input"/></h:form>
  <h:video src="${server}/video" autoplay="autoplay"/><h:audio src="${server}/audio" autoplay="autoplay"/>
  <mediaobject><imageobject><imagedata fileref="${server}/imagedata.png"/></imageobject></mediaobject>
  <mediaobject><imageobject><imagedata fileref="javascript:window.__pwned='imagedata'"/></imageobject></mediaobject>
  <mediaobject><imageobject><imagedata fileref="data:image/svg+xml,&lt;svg xmlns='http://www.w3.org/2000/svg' onload='parent.__pwned=1'/&gt;"/></imageobject></mediaobject>
  <para role="x&quot; style=&quot;background:url(${server}/role)">role</para>
  <para xml:id='x" style="background:url(${server}/id)'>id</para>
  <para>&evil;</para>
  <para>The end.</para>
</chapter>`;
}

/** Evaluated in the page (the tests compile without DOM types). */
const PWNED = 'window.__pwned';

interface Server { url: string; hits: string[]; close(): Promise<void> }

async function countingServer(): Promise<Server> {
    const hits: string[] = [];
    const server = http.createServer((req, res) => {
        hits.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('window.__pwned = "served"');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('preview page in headless Chromium', function () {
    this.timeout(120_000);
    let browser: Browser;
    let server: Server;
    let tmp: string;

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) {
            skipBecause(this, `${CHROMIUM} missing (apt-get install -y chromium)`);
        }
        browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        });
        server = await countingServer();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dbp-browser-'));
    });

    after(async () => {
        await browser?.close();
        await server?.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** Opens a page from a file: URL, gives it time to misbehave, and reports what happened. */
    async function open(html: string, name: string, colorScheme: 'light' | 'dark' = 'light', provoke = true): Promise<{ pwned: unknown; title: string; consoleErrors: string[]; page: import('playwright-core').Page }> {
        const file = path.join(tmp, name);
        fs.writeFileSync(file, html);
        const page = await browser.newPage({ viewport: { width: 1000, height: 1200 }, colorScheme });
        const consoleErrors: string[] = [];
        page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
        page.on('dialog', (d) => { consoleErrors.push('dialog: ' + d.message()); void d.dismiss(); });
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        // Hover and click everything: event handlers would fire now.
        if (provoke) for (const el of (await page.$$('p, a, span')).slice(0, 60)) {
            if (await el.isVisible()) await el.hover({ timeout: 200 }).catch(() => undefined);
        }
        if (provoke) {
            await page.click('text=Hover and click me', { timeout: 2000 }).catch(() => undefined);
            await page.waitForTimeout(500);
        }
        const pwned = await page.evaluate(PWNED);
        return { pwned, title: await page.title(), consoleErrors, page };
    }

    it('runs no script and loads nothing from a hostile document', async () => {
        const dir = path.join(tmp, 'evil');
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'ch.xml'), hostileChapter(server.url));
        const index = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
        await index.addFolder(dir);
        const result = await providePreview(contextOf(index), { file: path.join(dir, 'ch.xml') });
        const before = server.hits.length;
        const { pwned, title, page } = await open(renderStandalonePage(result, {}), 'evil.html');
        assert.strictEqual(pwned, undefined, 'no document script ran');
        assert.strictEqual(title, 'Hostile chapter');
        assert.deepStrictEqual(server.hits.slice(before), [], 'nothing was fetched from the server the document names');
        assert.ok((await page.textContent('body'))!.includes('The end.'), 'the page rendered');
        assert.strictEqual(page.url(), pathToFileURL(path.join(tmp, 'evil.html')).href, 'no redirect');
        await page.close();
    });

    it('keeps the page inert even if markup slipped past the renderer (the Content-Security-Policy holds)', async () => {
        const leaked: PreviewResult = {
            title: 'CSP check', books: [], profileValues: {}, sourceMap: { files: [] }, resources: [],
            html: [
                '<div class="docbook-preview"><p>CSP check</p>',
                `<script>window.__pwned = "inline"; fetch("${server.url}/csp-fetch")</script>`,
                `<script src="${server.url}/csp-script.js"></script>`,
                `<img src="${server.url}/csp-img" onerror="window.__pwned = 'onerror'">`,
                `<iframe src="${server.url}/csp-iframe"></iframe>`,
                `<link rel="stylesheet" href="${server.url}/csp-link.css">`,
                `<style>@import url("${server.url}/csp-import.css");</style>`,
                `<div style="background: url('${server.url}/csp-style')">styled</div>`,
                `<object data="${server.url}/csp-object"></object>`,
                '<a id="js" href="javascript:window.__pwned=\'href\'">js</a>',
                '</div>',
            ].join('\n'),
        };
        const before = server.hits.length;
        const { pwned, page } = await open(renderStandalonePage(leaked, {}), 'leaked.html');
        await page.click('#js', { timeout: 2000 }).catch(() => undefined);
        await page.waitForTimeout(300);
        assert.strictEqual(pwned, undefined);
        assert.strictEqual(await page.evaluate(PWNED), undefined);
        assert.deepStrictEqual(server.hits.slice(before), []);
        await page.close();
    });

    it('stays inert for indirect tricks: entities that build markup, encoded and disguised javascript: links, an SVG with script, xml:base, a stylesheet PI', async () => {
        const dir = path.join(tmp, 'tricks');
        fs.mkdirSync(dir);
        const s = server.url;
        fs.writeFileSync(path.join(dir, 'evil.ent'), `<h:script xmlns:h="http://www.w3.org/1999/xhtml">window.__pwned = "external entity"; fetch("${s}/ent-fetch")</h:script>`);
        fs.writeFileSync(path.join(dir, 'evil.svg'), `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" onload="parent.__pwned='svg onload'"><script>parent.__pwned = 'svg script'; fetch("${s}/svg-fetch")</script><image href="${s}/svg-image"/><rect width="40" height="40"/></svg>`);
        fs.writeFileSync(path.join(dir, 'ch.xml'), `<?xml version="1.0"?>
<?xml-stylesheet type="text/css" href="${s}/pi.css"?>
<!DOCTYPE chapter [
  <!ENTITY % builder '<!ENTITY built "&#60;h:script xmlns:h=&#34;http://www.w3.org/1999/xhtml&#34;&#62;window.__pwned = &#34;parameter entity&#34;&#60;/h:script&#62;">'>
  %builder;
  <!ENTITY inner '<h:img xmlns:h="http://www.w3.org/1999/xhtml" src="${s}/nested-img" onerror="window.__pwned = &#34;nested&#34;"/>'>
  <!ENTITY outer '&inner;&inner;'>
  <!ENTITY ext SYSTEM "evil.ent">
]>
<chapter ${NS} xml:id="tricks">
  <title>Tricks</title>
  <para>&built; &outer; &ext;</para>
  <para><link xlink:href="&#106;avascript:window.__pwned='encoded'">encoded</link>
    <link xlink:href="JaVaScRiPt:window.__pwned='mixed case'">mixed case</link>
    <link xlink:href=" &#x09;javascript:window.__pwned='spaced'">spaced</link>
    <link xlink:href="java&#x0A;script:window.__pwned='split'">split</link>
    <link xlink:href="vbscript:msgbox(1)">vbscript</link>
    <ulink url="javascript:window.__pwned='ulink'">ulink</ulink></para>
  <section xml:base="javascript:window.__pwned='base'//"><title>Based</title><para><link xlink:href="relative">relative to a javascript: base</link></para></section>
  <mediaobject><imageobject><imagedata fileref="evil.svg"/></imageobject></mediaobject>
  <mediaobject><imageobject><imagedata fileref="evil.svg" format="SVG"/></imageobject></mediaobject>
  <programlisting><![CDATA[<script>window.__pwned = 'cdata'</script>]]></programlisting>
  <para>&lt;script&gt;window.__pwned = 'escaped'&lt;/script&gt; &amp;lt;b onmouseover="window.__pwned=1"&amp;gt;</para>
  <para>Hover and click me</para>
</chapter>`);
        const index = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
        await index.addFolder(dir);
        const result = await providePreview(contextOf(index), { file: path.join(dir, 'ch.xml') });
        const before = server.hits.length;
        const { pwned, page } = await open(renderStandalonePage(result, {}), 'tricks.html');
        const hrefs = await page.$$eval('a[href], [src], [href]', (els) => els.map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? ''));
        assert.deepStrictEqual(hrefs.filter((h) => /^[\s\u0000-\u001f]*(javascript|vbscript|data):/i.test(h.replace(/[\t\n\r]/g, ''))), [], 'no script or data URL survives as a link');
        assert.strictEqual(pwned, undefined);
        assert.strictEqual(await page.evaluate(PWNED), undefined, 'no script ran, however it was dressed');
        assert.deepStrictEqual(server.hits.slice(before), [], 'nothing was fetched');
        assert.strictEqual(page.url(), pathToFileURL(path.join(tmp, 'tricks.html')).href, 'no navigation');
        assert.ok((await page.textContent('body'))!.includes("<script>window.__pwned = 'cdata'</script>"), 'CDATA shows as text');
        await page.close();
    });

    it('loads the real images of a corpus chapter and screenshots a real chapter', async function () {
        const tree = path.join(CORPUS, 'security-guide-2014');
        requireCorpus(this, tree);
        const index = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
        await index.addFolder(tree);
        const withImages = await providePreview(contextOf(index), { file: path.join(tree, 'security-guide/ch005_security-domains.xml') });
        assert.ok(withImages.resources.length >= 3, 'the chapter has images');
        const { page, consoleErrors } = await open(renderStandalonePage(withImages, {}), 'images.html', 'light', false);
        const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), complete: i.complete, width: i.naturalWidth })));
        assert.ok(images.length >= 3);
        for (const img of images) assert.ok(img.complete && img.width > 0, `image ${img.src} loaded (${img.width}px)`);
        assert.deepStrictEqual(consoleErrors.filter((e) => /Content Security Policy/.test(e)), [], 'the page violates its own policy nowhere');
        await page.close();

        fs.mkdirSync(OUTPUT, { recursive: true });
        const chapter = await providePreview(contextOf(index), { file: path.join(tree, 'security-guide/ch037_risks.xml') });
        for (const scheme of ['light', 'dark'] as const) {
            const shot = await open(renderStandalonePage(chapter, {}), `ch037-${scheme}.html`, scheme, false);
            const file = path.join(OUTPUT, scheme === 'light' ? 'preview.png' : 'preview-dark.png');
            await shot.page.screenshot({ path: file, fullPage: true });
            const colors = await shot.page.evaluate('({ fg: getComputedStyle(document.body).color, bg: getComputedStyle(document.body).backgroundColor })') as { fg: string; bg: string };
            assert.notStrictEqual(colors.fg, colors.bg);
            assert.ok(fs.statSync(file).size > 10_000, `${file} written`);
            await shot.page.close();
        }
        const images2 = await providePreview(contextOf(index), { file: path.join(tree, 'security-guide/ch005_security-domains.xml') });
        const shot = await open(renderStandalonePage(images2, {}), 'ch005.html', 'light', false);
        await shot.page.screenshot({ path: path.join(OUTPUT, 'preview-images.png'), fullPage: false });
        await shot.page.close();
    });
});
