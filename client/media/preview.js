// The preview webview's script (the only script its Content-Security-Policy allows). It receives
// rendered HTML from the extension and swaps the body in place, keeps the scroll position, syncs
// scrolling with the editor through the blocks' data-line/data-file, and turns clicks into
// messages: xrefs, links, double-click to the source, the book and profile pickers.
// Message shapes: client/src/preview/messages.ts.
// @ts-check
(function () {
    'use strict';
    // @ts-expect-error: provided by VS Code in webviews
    const vscode = acquireVsCodeApi();
    const content = /** @type {HTMLElement} */ (document.getElementById('docbook-content'));
    const toolbar = /** @type {HTMLElement} */ (document.getElementById('docbook-toolbar'));

    /** @type {{source?: string, locked?: boolean, profile?: Record<string,string>, book?: string, scrollLine?: number, scrollY?: number}} */
    let state = vscode.getState() || {};
    /** @type {string[]} */
    let files = [];
    /** @type {string | undefined} */
    let source = undefined;
    /** @type {{el: HTMLElement, file: string, line: number}[] | undefined} */
    let blocks = undefined;
    // The last update's HTML and version: the base of the next update's htmlEdit.
    let shownHtml = '';
    let shownVersion = -1;
    // What the toolbar was built from: rebuilt only when that changes.
    let shownToolbar = '';
    // Scroll events caused by the extension (sync from the editor, an update) are not echoed back:
    // the position we scrolled to is remembered, and a scroll event that lands there is ours.
    let ownScrollY = -1;
    function scrollOwn(/** @type {number} */ y) {
        window.scrollTo(0, y);
        ownScrollY = window.scrollY;
    }

    function fileOf(/** @type {Element} */ el) {
        const holder = el.closest('[data-file]');
        const index = holder ? Number(holder.getAttribute('data-file')) : 0;
        return files[index] || source || '';
    }

    function allBlocks() {
        if (!blocks) {
            blocks = [];
            for (const el of content.querySelectorAll('[data-line]')) {
                const line = Number(el.getAttribute('data-line'));
                if (Number.isFinite(line)) blocks.push({ el: /** @type {HTMLElement} */ (el), file: fileOf(el), line });
            }
        }
        return blocks;
    }

    function topOf(/** @type {HTMLElement} */ el) {
        return el.getBoundingClientRect().top + window.scrollY;
    }

    // setState is a message to the workbench (whose main thread a typist keeps busy): an update
    // that changed neither the document nor the scroll position sends none.
    let savedState = '';
    function saveState() {
        const json = JSON.stringify(state);
        if (json === savedState) return;
        savedState = json;
        vscode.setState(state);
    }

    // ---- updates -------------------------------------------------------------------------------

    /** Updates received since the last frame, applied together just before the next one is painted. */
    /** @type {any[]} */
    let pendingUpdates = [];

    function receiveUpdate(/** @type {any} */ m) {
        m.receivedAt = Date.now();
        if (!pendingUpdates.length) {
            requestAnimationFrame(flushUpdates);
            setTimeout(flushUpdates, 100); // a hidden webview gets no frames
        }
        pendingUpdates.push(m);
    }

    /**
     * Brings the page to the latest of the updates received: their HTML changes are applied to the
     * text one after another, the DOM is patched once. Updates that came faster than frames cost
     * no DOM work, so the newest text is never more than one frame behind.
     */
    function flushUpdates() {
        if (!pendingUpdates.length) return;
        const batch = pendingUpdates;
        pendingUpdates = [];
        const patchStart = performance.now();
        const oldHtml = shownHtml;
        for (const m of batch) {
            if (m.htmlEdit) {
                const e = m.htmlEdit;
                if (e.baseVersion !== shownVersion || e.end > shownHtml.length) {
                    // Not the HTML the extension thinks we have: ask for all of it.
                    shownVersion = -1;
                    vscode.postMessage({ type: 'resync' });
                    return;
                }
                m.html = shownHtml.slice(0, e.start) + e.text + shownHtml.slice(e.end);
            }
            shownHtml = m.html;
            shownVersion = m.version;
        }
        const m = batch[batch.length - 1];
        // bench:typing (DOCBOOK_BENCH_TRACE) reads the stages of the update on screen.
        if (m.trace) /** @type {any} */ (window).docbookTrace = { ...m.trace, receivedAt: m.receivedAt, flushAt: Date.now(), batch: batch.length };
        update(m, batch.length === 1 ? m.htmlEdit : textEdit(oldHtml, m.html), oldHtml, patchStart);
    }

    /** The one replacement that turns `from` into `to` (as the extension computes it). */
    function textEdit(/** @type {string} */ from, /** @type {string} */ to) {
        const max = Math.min(from.length, to.length);
        let start = 0;
        while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
        let suffix = 0;
        while (suffix < max - start && from.charCodeAt(from.length - 1 - suffix) === to.charCodeAt(to.length - 1 - suffix)) suffix++;
        return { start, end: from.length - suffix, text: to.slice(start, to.length - suffix) };
    }

    /**
     * Shows update `m` (its `html` resolved), which `edit` made from `oldHtml`, the HTML on screen.
     * @param {any} m @param {{start: number, end: number, text: string} | undefined} edit @param {string} oldHtml @param {number} patchStart
     */
    function update(m, edit, oldHtml, patchStart) {
        const sameSource = m.source === source;
        const scrollY = window.scrollY;
        // The server's HTML is sanitised (no script, no handlers); the CSP would block them anyway.
        /** How the DOM was brought up to date: one block re-parsed, the whole body re-parsed and merged, or replaced. */
        let patch = 'replace';
        if (sameSource) {
            // An edit changes a few blocks of a chapter: patching just those keeps the browser from
            // parsing, restyling and laying out the whole chapter at every keystroke.
            if (edit && patchBlock(oldHtml, edit, m.html)) {
                patch = 'block';
            } else {
                const parsed = document.createElement('template');
                parsed.innerHTML = m.html;
                morphChildren(content, parsed.content);
                patch = 'morph';
            }
        } else {
            content.innerHTML = m.html;
        }
        files = m.files || [];
        source = m.source;
        blocks = undefined;
        document.title = m.title || '';
        const toolbarKey = JSON.stringify([m.title, m.locked, m.books, m.book, m.profileValues, m.profile]);
        if (toolbarKey !== shownToolbar) {
            shownToolbar = toolbarKey;
            renderToolbar(m);
        }
        if (sameSource) {
            scrollOwn(scrollY);
        } else if (state.source === m.source && state.scrollY !== undefined) {
            scrollOwn(state.scrollY);
        } else {
            scrollOwn(0);
        }
        state = { ...state, source: m.source, locked: m.locked, profile: m.profile, book: m.book, scrollY: window.scrollY };
        saveState();
        const patchMs = performance.now() - patchStart;
        // The frame is painted after the animation-frame callbacks (this runs in one, unless the
        // webview gets no frames): a task queued now runs once it is painted.
        let reported = false;
        const report = () => {
            if (reported) return;
            reported = true;
            vscode.postMessage({ type: 'rendered', version: m.version, receivedAt: m.receivedAt, patchMs, patch, paintedAt: Date.now() });
        };
        setTimeout(report, 0);
    }

    const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

    /**
     * The innermost block (element with data-line) of `html` whose content holds all of
     * [start, end): its name, data-line, place among the blocks in document order, and span.
     * The server's HTML escapes every < in text and > in attribute values, so each < starts markup.
     * @param {string} html @param {number} start @param {number} end
     */
    function enclosingBlock(html, start, end) {
        /** @type {{name: string, line: string | undefined, ordinal: number, openStart: number}[]} */
        const open = [];
        let ordinal = 0;
        let scanned = -1; // how many entries of `open` were opened before the change
        for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) {
            if (html.startsWith('<!--', at)) {
                const close = html.indexOf('-->', at + 4);
                if (close === -1) return undefined;
                at = close + 2;
                continue;
            }
            const tagEnd = html.indexOf('>', at);
            if (tagEnd === -1) return undefined;
            if (scanned === -1 && tagEnd + 1 > start) scanned = open.length;
            const tag = html.slice(at, tagEnd + 1);
            const name = /^<\/?([A-Za-z][A-Za-z0-9-]*)/.exec(tag);
            if (!name) { at = tagEnd; continue; }
            const lower = name[1].toLowerCase();
            if (tag[1] === '/') {
                let i = open.length - 1;
                while (i >= 0 && open[i].name !== lower) i--;
                if (i >= 0) {
                    // Entries opened before the change close here, innermost first: the first
                    // block among them that closes after the change holds it.
                    for (let j = open.length - 1; j >= i; j--) {
                        // A block that closes before the change ends does not hold it; an outer one may.
                        if (j < scanned && open[j].line !== undefined && at >= end) return { ...open[j], closeEnd: tagEnd + 1 };
                    }
                    open.length = i;
                }
            } else if (!VOID_ELEMENTS.has(lower) && !tag.endsWith('/>')) {
                const line = / data-line="([^"]*)"/.exec(tag);
                open.push({ name: lower, line: line ? line[1] : undefined, ordinal: line ? ordinal : -1, openStart: at });
                if (line) ordinal++;
            } else if (/ data-line="/.test(tag)) {
                ordinal++;
            }
            at = tagEnd;
        }
        return undefined;
    }

    /**
     * Applies an update whose HTML changed inside one block by re-parsing that block alone.
     * False (nothing touched) when the block cannot be matched with the DOM.
     * @param {string} oldHtml @param {{start: number, end: number, text: string}} edit @param {string} newHtml
     */
    function patchBlock(oldHtml, edit, newHtml) {
        const block = enclosingBlock(oldHtml, edit.start, edit.end);
        if (!block || block.ordinal < 0) return false;
        const el = content.querySelectorAll('[data-line]')[block.ordinal];
        if (!el || el.tagName.toLowerCase() !== block.name || el.getAttribute('data-line') !== block.line) return false;
        const delta = edit.text.length - (edit.end - edit.start);
        const parsed = document.createElement('template');
        parsed.innerHTML = newHtml.slice(block.openStart, block.closeEnd + delta);
        const next = parsed.content.firstChild;
        if (!(next instanceof Element) || parsed.content.childNodes.length !== 1 || next.tagName !== el.tagName) return false;
        morphNode(el, next);
        return true;
    }

    /** Makes `target`'s children equal to `source`'s, keeping the nodes that are equal already. */
    function morphChildren(/** @type {Node} */ target, /** @type {Node} */ source) {
        const now = [...target.childNodes];
        const next = [...source.childNodes];
        let start = 0;
        while (start < now.length && start < next.length && now[start].isEqualNode(next[start])) start++;
        let nowEnd = now.length;
        let nextEnd = next.length;
        while (nowEnd > start && nextEnd > start && now[nowEnd - 1].isEqualNode(next[nextEnd - 1])) { nowEnd--; nextEnd--; }
        if (nowEnd - start === nextEnd - start) {
            // As many nodes changed as there were: patch them pairwise (a typed word; a new line
            // renumbers data-line attributes all the way down).
            for (let i = start; i < nowEnd; i++) morphNode(now[i], next[i]);
            return;
        }
        const after = now[nowEnd] || null;
        for (let i = start; i < nowEnd; i++) now[i].remove();
        for (let i = start; i < nextEnd; i++) target.insertBefore(next[i], after);
    }

    function morphNode(/** @type {Node} */ node, /** @type {Node} */ next) {
        if (node.nodeType !== next.nodeType || node.nodeName !== next.nodeName) {
            node.parentNode?.replaceChild(next, node);
        } else if (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.COMMENT_NODE) {
            if (node.nodeValue !== next.nodeValue) node.nodeValue = next.nodeValue;
        } else if (node instanceof Element && next instanceof Element) {
            for (const a of [...node.attributes]) if (!next.hasAttribute(a.name)) node.removeAttribute(a.name);
            for (const a of next.attributes) if (node.getAttribute(a.name) !== a.value) node.setAttribute(a.name, a.value);
            morphChildren(node, next);
        } else {
            node.parentNode?.replaceChild(next, node);
        }
    }

    function showError(/** @type {any} */ m) {
        const box = document.createElement('div');
        box.className = 'docbook-preview-error';
        box.textContent = `The preview could not be rendered: ${m.message}`;
        content.replaceChildren(box);
        source = m.source;
        blocks = undefined;
    }

    /** Title, book picker and one picker per profiling attribute; built with DOM calls, never from HTML. */
    function renderToolbar(/** @type {any} */ m) {
        const parts = [];
        const title = document.createElement('span');
        title.className = 'docbook-toolbar-title';
        title.textContent = m.title || '';
        if (m.locked) {
            title.title = 'Locked: this preview does not follow the active editor';
            const icon = /** @type {HTMLTemplateElement} */ (document.getElementById('docbook-lock-icon')).content.firstElementChild;
            if (icon) {
                const lock = document.createElement('span');
                lock.className = 'docbook-lock';
                lock.setAttribute('aria-label', 'locked');
                lock.append(icon.cloneNode(true));
                title.prepend(lock);
            }
        }
        parts.push(title);

        const books = /** @type {{uri: string, title: string}[]} */ (m.books || []);
        if (books.length > 1) {
            parts.push(picker('Book', 'docbook-book', books.map((b) => ({ value: b.uri, label: b.title })), m.book || books[0].uri, false, (value) => {
                vscode.postMessage({ type: 'setBook', book: value || undefined });
            }));
        } else if (books.length === 1) {
            const book = document.createElement('span');
            book.className = 'docbook-toolbar-book';
            book.textContent = `in ${books[0].title}`;
            parts.push(book);
        } else {
            const none = document.createElement('span');
            none.className = 'docbook-toolbar-book';
            none.textContent = 'in no book';
            parts.push(none);
        }

        const profileValues = /** @type {Record<string, string[]>} */ (m.profileValues || {});
        const profile = /** @type {Record<string, string>} */ (m.profile || {});
        for (const attribute of Object.keys(profileValues).sort()) {
            const values = profileValues[attribute];
            if (!values || !values.length) continue;
            parts.push(picker(attribute, `docbook-profile-${attribute}`, values.map((v) => ({ value: v, label: v })), profile[attribute] || '', true, (value) => {
                const next = { ...profile };
                if (value) next[attribute] = value; else delete next[attribute];
                vscode.postMessage({ type: 'setProfile', profile: next });
            }));
        }
        toolbar.replaceChildren(...parts);
        toolbar.hidden = false;
    }

    /**
     * @param {string} label @param {string} id @param {{value: string, label: string}[]} options
     * @param {string} selected @param {boolean} withAll @param {(value: string) => void} onChange
     */
    function picker(label, id, options, selected, withAll, onChange) {
        const wrapper = document.createElement('label');
        wrapper.className = 'docbook-picker';
        wrapper.htmlFor = id;
        wrapper.append(`${label} `);
        const select = document.createElement('select');
        select.id = id;
        const all = withAll ? [{ value: '', label: 'all (unprofiled)' }, ...options] : options;
        for (const o of all) {
            const option = document.createElement('option');
            option.value = o.value;
            option.textContent = o.label;
            option.defaultSelected = o.value === selected;
            select.append(option);
        }
        select.addEventListener('change', () => onChange(select.value));
        wrapper.append(select);
        return wrapper;
    }

    // ---- scroll sync -----------------------------------------------------------------------------

    /** Scrolls so that source line `line` of `file` is at the top, between the blocks around it. */
    function scrollToLine(/** @type {string} */ file, /** @type {number} */ line) {
        let before, after;
        for (const b of allBlocks()) {
            if (b.file !== file) continue;
            if (b.line <= line && (!before || b.line >= before.line)) before = b;
            if (b.line > line && (!after || b.line < after.line)) after = b;
        }
        if (!before && !after) return;
        let y;
        if (!before) {
            y = 0;
        } else {
            const top = topOf(before.el);
            y = after && after.line > before.line
                ? top + (topOf(after.el) - top) * ((line - before.line) / (after.line - before.line))
                : top;
        }
        scrollOwn(Math.max(0, y - toolbar.offsetHeight));
        state.scrollLine = line;
        state.scrollY = window.scrollY;
        saveState();
    }

    /**
     * The source line shown at the top of the view, with its file: the block that starts last at or
     * above the top (of blocks starting at the same height, the outermost: the earliest line).
     */
    function lineAtTop() {
        const viewTop = window.scrollY + toolbar.offsetHeight + 1;
        const list = allBlocks();
        let current;
        let currentTop = -Infinity;
        for (const b of list) {
            const top = topOf(b.el);
            if (top > viewTop) continue;
            if (top > currentTop + 0.5 || (Math.abs(top - currentTop) <= 0.5 && current && b.file === current.file && b.line < current.line)) {
                current = b;
                currentTop = top;
            }
        }
        if (!current) return undefined;
        // Interpolate towards the next block of the same file.
        const from = current;
        let next;
        for (const b of list) {
            if (b.file === from.file && b.line > from.line && (!next || b.line < next.line)) next = b;
        }
        if (!next) return { file: from.file, line: from.line };
        const span = topOf(next.el) - currentTop;
        const fraction = span > 0 ? Math.min(1, Math.max(0, (viewTop - 1 - currentTop) / span)) : 0;
        return { file: from.file, line: from.line + fraction * (next.line - from.line) };
    }

    let scrollFrame = 0;
    window.addEventListener('scroll', () => {
        state.scrollY = window.scrollY;
        if (Math.abs(window.scrollY - ownScrollY) < 2 || scrollFrame) return;
        ownScrollY = -1;
        scrollFrame = requestAnimationFrame(() => {
            scrollFrame = 0;
            const at = lineAtTop();
            if (at) vscode.postMessage({ type: 'revealLine', file: at.file, line: at.line });
            saveState();
        });
    }, { passive: true });

    // ---- clicks ----------------------------------------------------------------------------------

    document.addEventListener('click', (event) => {
        const target = /** @type {Element | null} */ (event.target);
        const anchor = target && target.closest('a');
        if (!anchor) return;
        const linkend = anchor.getAttribute('data-linkend');
        const href = anchor.getAttribute('href') || '';
        if (linkend || href.startsWith('#')) {
            event.preventDefault();
            const id = linkend || decodeURIComponent(href.slice(1));
            const inPreview = document.getElementById(id);
            const targetFile = anchor.getAttribute('data-target-file');
            const targetLine = Number(anchor.getAttribute('data-target-line'));
            if (inPreview && content.contains(inPreview)) {
                inPreview.scrollIntoView({ block: 'start' });
                window.scrollBy(0, -toolbar.offsetHeight);
            } else if (targetFile !== null && files[Number(targetFile)] && Number.isFinite(targetLine)) {
                // The renderer knows where the target is defined (another chapter of the book).
                vscode.postMessage({ type: 'openTarget', file: files[Number(targetFile)], line: targetLine });
            } else {
                vscode.postMessage({ type: 'openId', id });
            }
        } else if (href) {
            event.preventDefault();
            vscode.postMessage({ type: 'openLink', href });
        }
    });

    document.addEventListener('dblclick', (event) => {
        const target = /** @type {Element | null} */ (event.target);
        const block = target && target.closest('[data-line]');
        if (!block || !content.contains(block)) return;
        vscode.postMessage({ type: 'openSource', file: fileOf(block), line: Number(block.getAttribute('data-line')) });
    });

    // ---- messages --------------------------------------------------------------------------------

    window.addEventListener('message', (event) => {
        const m = event.data;
        // Everything else acts on what the updates received so far show.
        if (m && m.type !== 'update') flushUpdates();
        switch (m && m.type) {
            case 'update': receiveUpdate(m); break;
            case 'error': showError(m); break;
            case 'scrollToLine': scrollToLine(m.file, m.line); break;
            case 'dispatchMouse': {
                const target = content.querySelector(m.selector);
                if (target) target.dispatchEvent(new MouseEvent(m.kind, { bubbles: true, cancelable: true, view: window }));
                break;
            }
            case 'getHtml':
                vscode.postMessage({ type: 'html', requestId: m.requestId, source, html: toolbar.outerHTML + content.outerHTML, scrollY: window.scrollY, top: lineAtTop() });
                break;
        }
    });

    vscode.postMessage({ type: 'ready' });
})();
