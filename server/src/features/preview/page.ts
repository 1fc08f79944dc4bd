// A preview as a standalone HTML page (docbook-render): no script at all, styles by nonce, images
// only from where the preview's images are.

import { randomBytes } from 'crypto';
import { escapeHtml } from './html';
import { PreviewResult } from './result';
import { PREVIEW_STYLE } from './style';

/** Sources for img-src: the origins of the images the page loads ('file:' for local files). */
function imageSources(resources: string[]): string {
    const sources = new Set<string>();
    for (const r of resources) {
        try {
            const u = new URL(r);
            sources.add(u.protocol === 'file:' ? 'file:' : u.origin !== 'null' ? u.origin : u.protocol);
        } catch {
            // not a URL: nothing to allow
        }
    }
    return sources.size ? [...sources].join(' ') : "'none'";
}

/** A full HTML page of a preview: no script at all, styles by nonce, images only from where the preview's images are. */
export function renderStandalonePage(result: PreviewResult, options: { css?: string; csp?: string } = {}): string {
    const nonce = randomBytes(16).toString('base64');
    const csp = options.csp ?? `default-src 'none'; img-src ${imageSources(result.resources)}; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`;
    return [
        '<!DOCTYPE html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8"/>',
        `<meta http-equiv="Content-Security-Policy" content="${csp.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"/>`,
        '<meta name="referrer" content="no-referrer"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        `<title>${escapeHtml(result.title)}</title>`,
        `<style nonce="${nonce}">${(options.css ?? PREVIEW_STYLE).replace(/<\/style/gi, '<\\/style')}</style>`,
        '</head>',
        '<body>',
        result.html,
        '</body>',
        '</html>',
        '',
    ].join('\n');
}
