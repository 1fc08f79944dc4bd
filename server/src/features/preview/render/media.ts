// Images: mediaobject and its alternatives (docbook-xsl's choice for HTML), image files the page may
// load (local, known to exist, of an image type), and placeholders for what is not shown.

import * as path from 'path';
import { normalizeSpace, textOf } from '../../../core/docbookModel';
import { attr, XmlElement } from '../../../core/xmlParser';
import { Ctx } from '../assembler';
import { decodeAttr, escapeHtml, pixels, positiveInt } from '../html';
import { resolveRef } from '../snapshot';
import { ElementRenderer, Renderer } from './core';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp', '.bmp', '.ico', '.avif']);
const NOT_CONTENT_OF_MEDIA = ['imageobject', 'imageobjectco', 'textobject', 'caption', 'alt', 'videoobject', 'audioobject', 'info'];

function mediaobject(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const inline = el.local === 'inlinemediaobject' || r.inline > 0;
    const tag = inline ? 'span' : 'div';
    r.out.push(`<${tag} class="${el.local}"${inline ? '' : r.pos(el, ctx)}>`);
    const objects: XmlElement[] = [];
    let textobject: XmlElement | undefined;
    let caption: XmlElement | undefined;
    let alt: XmlElement | undefined;
    for (const c of el.children) {
        if (c.kind !== 'element') continue;
        if (c.local === 'imageobject' || c.local === 'imageobjectco') objects.push(c);
        else if (c.local === 'textobject' && !textobject) textobject = c;
        else if (c.local === 'caption') caption = c;
        else if (c.local === 'alt') alt = c;
    }
    const altText = alt ? normalizeSpace(textOf(alt, ctx.pf.text, ctx.pf.entities))
        : textobject ? normalizeSpace(textOf(textobject, ctx.pf.text, ctx.pf.entities)) : undefined;
    // docbook-xsl for HTML: an object with role="html" first, then any not meant for print.
    const chosen = objects.find((o) => attr(o, 'role')?.value.trim() === 'html')
        ?? objects.find((o) => attr(o, 'role')?.value.trim() !== 'fo') ?? objects[0];
    if (chosen) imageobject(r, chosen, ctx, altText);
    else if (textobject) r.children(textobject, ctx, level);
    for (const c of el.children) {
        if (c.kind === 'element' && !NOT_CONTENT_OF_MEDIA.includes(c.local)) r.node(c, ctx, level);
        if (c.kind === 'element' && (c.local === 'videoobject' || c.local === 'audioobject')) mediaPlaceholder(r, c, ctx);
    }
    if (caption) r.wrap(`<${tag} class="caption">`, () => r.children(caption!, ctx, level), `</${tag}>`);
    r.out.push(`</${tag}>`);
}

function imageobject(r: Renderer, el: XmlElement, ctx: Ctx, altText: string | undefined): void {
    for (const c of el.children) {
        if (c.kind === 'element' && (c.local === 'imagedata' || c.local === 'graphic')) { image(r, c, ctx, altText); return; }
        if (c.kind === 'element' && c.local === 'imageobject') { imageobject(r, c, ctx, altText); return; }
    }
}

function image(r: Renderer, el: XmlElement, ctx: Ctx, altText: string | undefined): void {
    const fileref = decodeAttr(attr(el, 'fileref')?.value ?? '', ctx.pf.entities).trim();
    const entityref = attr(el, 'entityref')?.value.trim();
    const placeholder = (message: string): void => {
        r.out.push(`<span class="image-placeholder"${r.inline ? '' : r.pos(el, ctx, false)}>${escapeHtml(message)}</span>`);
    };
    if (!fileref) return placeholder(entityref ? `Image by entity ${entityref} not shown` : 'Image without fileref');
    const resolved = resolveRef(r.lookup, el, fileref, ctx.pf.path, ctx.xmlBase);
    if (resolved.kind === 'remote') return placeholder(/^https?:/i.test(resolved.url) ? `Remote image not loaded: ${resolved.url}` : `Image not shown: ${resolved.url}`);
    if (resolved.kind === 'invalid') return placeholder(`Image not shown: ${resolved.reason}`);
    const file = resolved.path;
    if (!IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase())) return placeholder(`Image type not shown: ${fileref}`);
    const exists = r.snapshot.images.get(file) ?? r.lookup.exists(file);
    if (!exists) return placeholder(`Missing image: ${fileref}`);
    const url = r.resourceUri(file);
    r.resources.add(url);
    let size = '';
    const width = pixels(attr(el, 'contentwidth')?.value) ?? pixels(attr(el, 'width')?.value);
    if (width !== undefined) size += ` width="${width}"`;
    const scale = positiveInt(attr(el, 'scale')?.value, 1000);
    if (scale !== undefined && width === undefined) size += ` data-scale="${scale}"`;
    r.out.push(`<img src="${escapeHtml(url)}" alt="${escapeHtml(altText ?? path.basename(fileref))}"${size}${r.inline ? '' : r.pos(el, ctx, false)}/>`);
}

function mediaPlaceholder(r: Renderer, el: XmlElement, ctx: Ctx): void {
    const data = el.local.endsWith('data') ? el : (el.children.find((c) => c.kind === 'element' && c.local.endsWith('data')) as XmlElement | undefined);
    const fileref = data ? attr(data, 'fileref')?.value ?? '' : '';
    r.out.push(`<span class="image-placeholder"${r.pos(el, ctx, false)}>${escapeHtml(`${el.local.startsWith('video') ? 'Video' : 'Audio'} not shown${fileref ? ': ' + fileref : ''}`)}</span>`);
}

const imageAlone: ElementRenderer = (r, el, ctx) => image(r, el, ctx, undefined);
const placeholderOnly: ElementRenderer = (r, el, ctx) => mediaPlaceholder(r, el, ctx);

export const MEDIA_RENDERERS: Record<string, ElementRenderer> = {
    mediaobject, inlinemediaobject: mediaobject,
    imagedata: imageAlone, graphic: imageAlone, inlinegraphic: imageAlone,
    imageobject: (r, el, ctx) => imageobject(r, el, ctx, undefined),
    videoobject: placeholderOnly, audioobject: placeholderOnly, videodata: placeholderOnly, audiodata: placeholderOnly,
};
