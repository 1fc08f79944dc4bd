// A keystroke in the words of an open file without parsing it again: the common edit (a letter, a
// space, a deleted word) lies inside one text node and changes nothing the parser decides. Then the
// new tree is the old one with the offsets after the edit moved, and the model is the old one moved,
// or built again from that tree when the edit is in text the model reads. Exact by construction: an
// edit is taken here only where a parse of the new text provably gives that tree (see editInText);
// anything else is parsed as before. test/unit/incremental.test.ts compares both ways on the corpus.

import { buildFileModel, DOCBOOK_NS, FileModel, glossEntryOf, idAttributeOf, MAX_GATE_FINDINGS, MODEL_TEXT_ELEMENTS, movedModel } from './docbookModel';
import { EntityTable } from './entities';
import { computeLineStarts, positionAt } from './lineMap';
import { findNiceness, nicenessAfterEdit } from './niceness';
import { textEdit } from './textDiff';
import { XmlDocument, XmlElement, XmlEntityRef, XmlNode, XmlProblem, XmlText } from './xmlParser';

export interface TextNodeEdit {
    /** The new text's tree (shares the old one's leaves before the edit; nothing of the old tree is changed). */
    doc: XmlDocument;
    /** The edit in the old text: [start, end) replaced by `inserted`. */
    start: number;
    end: number;
    inserted: string;
    /** The elements around the edited text node in the new tree, outermost first. */
    ancestors: XmlElement[];
}

/** How many edits took the incremental path (tests observe that it is taken, not only that it is right). */
export const incrementalStats = { edits: 0 };

// What may not be inserted or deleted: markup, and the characters whose problems the parser reports
// (controls, surrogates, non-characters; see checkChars). Quotes are tested apart.
const MARKUP_OR_SUSPECT = /[<>&\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/;
const QUOTE = /["']/;

function isSurrogate(c: number): boolean {
    return c >= 0xd800 && c <= 0xdfff;
}

/** Whether ']]>' starts in text at an offset in [from, to). */
function cdataCloseIn(text: string, from: number, to: number): boolean {
    const at = text.indexOf(']]>', Math.max(0, from));
    return at >= 0 && at < to;
}

/**
 * The tree of `text` from the tree of the text before (`old`), when the one change between them
 * lies inside one text node of an element, after its first character, and a parse would read it the same way; else
 * undefined (the caller parses). Why each condition:
 * - no `<`, `>` or `&` inserted or deleted: the node stays one text node (the parser ends text only at `<` and `&`);
 * - the node does not start with `<` (the text after a stray `<` or `<!`) nor follow a stray `&`:
 *   a letter typed there could make a tag or a reference of it;
 * - no forbidden character inserted or deleted, and no surrogate beside the edit: checkChars' problems stay;
 * - no `]]>` made or broken around the edit: the text's `]]>` problems stay;
 * - no problem touching the edit, so every problem offset is before or after it;
 * - a quote only when nothing before the edit is broken: the quote an unclosed attribute value or
 *   DOCTYPE literal looks for can be anywhere after it, and each of those is a problem before the edit.
 */
export function editInText(old: XmlDocument, text: string): TextNodeEdit | undefined {
    const oldText = old.text;
    if (oldText === text) return undefined;
    const { start, end, text: inserted } = textEdit(oldText, text);
    const removed = oldText.slice(start, end);
    if (MARKUP_OR_SUSPECT.test(inserted) || MARKUP_OR_SUSPECT.test(removed)) return undefined;
    if (isSurrogate(oldText.charCodeAt(start - 1)) || isSurrogate(oldText.charCodeAt(end))) return undefined;
    if (cdataCloseIn(oldText, start - 2, end) || cdataCloseIn(text, start - 2, start + inserted.length)) return undefined;
    // With 100 problems the parser may have stopped reporting some (see Parser.problem and checkChars).
    const quoted = QUOTE.test(inserted) || QUOTE.test(removed);
    if (quoted && old.problems.length >= 100) return undefined;
    for (const p of old.problems) {
        if (p.start <= end && p.end >= start) return undefined;
        if (quoted && p.start < start) return undefined;
    }
    const ancestors: XmlElement[] = [];
    const node = textNodeAround(old.children, start, end, ancestors);
    if (!node || !ancestors.length) return undefined;
    const first = oldText.charCodeAt(node.start);
    if (first === 0x3c /* < */ || first === 0x26 /* & */ || oldText.charCodeAt(node.start - 1) === 0x26) return undefined;
    const doc = movedTree(old, text, node, start, inserted.length - (end - start));
    // The same elements in the new tree: the path down to the node, by the same child indexes.
    const newAncestors: XmlElement[] = [];
    let children = doc.children;
    let oldChildren = old.children;
    for (const a of ancestors) {
        const el = children[oldChildren.indexOf(a)] as XmlElement;
        newAncestors.push(el);
        children = el.children;
        oldChildren = a.children;
    }
    incrementalStats.edits++;
    return { doc, start, end, inserted, ancestors: newAncestors };
}

/**
 * The text node holding [start, end) after its first character (typing at the end of a para is
 * common; at its start, a blank could join the markup before, e.g. an end tag's trailing space),
 * and the elements down to it.
 */
function textNodeAround(children: XmlNode[], start: number, end: number, ancestors: XmlElement[]): XmlText | undefined {
    for (;;) {
        // The last child starting before the edit (children are in document order).
        let lo = 0;
        let hi = children.length - 1;
        let found = -1;
        while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            if (children[mid].start < start) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        if (found < 0) return undefined;
        const node = children[found];
        if (node.kind === 'text') return end <= node.end ? node : undefined;
        if (node.kind !== 'element' || node.startTagEnd > start || end > node.contentEnd) return undefined;
        ancestors.push(node);
        children = node.children;
    }
}

/** A copy of `old` for `text`: offsets after the edit moved by `delta`, `node` (the edited text) longer or shorter. */
function movedTree(old: XmlDocument, text: string, node: XmlText, editStart: number, delta: number): XmlDocument {
    // Every offset of the tree and its problems is before the edit or at or after its end (editInText made
    // sure); those at its end (the text node's end, what follows it) move.
    const at = (offset: number): number => (offset < editStart ? offset : offset + delta);
    const movedRefs = new Map<XmlEntityRef, XmlEntityRef>();
    const copy = (n: XmlNode, parent: XmlElement | undefined): XmlNode => {
        if (n.kind === 'element') {
            const before = n.start < editStart;
            const el: XmlElement = {
                kind: 'element', name: n.name, prefix: n.prefix, local: n.local, ns: n.ns,
                attrs: before ? n.attrs : n.attrs.map((a) => ({
                    name: a.name, value: a.value, nameStart: a.nameStart + delta, valueStart: at(a.valueStart), valueEnd: at(a.valueEnd),
                })),
                children: [], parent, start: at(n.start), startTagEnd: at(n.startTagEnd), contentEnd: at(n.contentEnd), end: at(n.end),
                selfClosing: n.selfClosing, nsScope: n.nsScope,
            };
            const children = el.children;
            for (const c of n.children) children.push(copy(c, el));
            return el;
        }
        // Leaves have no parent: those before the edit are shared. (Literals of one shape per kind: a
        // spread of nodes of every kind is several times slower.)
        if (n === node) return { kind: 'text', start: n.start, end: n.end + delta };
        if (n.start < editStart) return n;
        switch (n.kind) {
            case 'text': return { kind: 'text', start: n.start + delta, end: n.end + delta };
            case 'cdata': return { kind: 'cdata', start: n.start + delta, end: n.end + delta };
            case 'comment': return { kind: 'comment', start: n.start + delta, end: n.end + delta };
            case 'pi': return { kind: 'pi', target: n.target, data: n.data, start: n.start + delta, end: n.end + delta };
            case 'entity': {
                const moved: XmlEntityRef = { kind: 'entity', name: n.name, start: n.start + delta, end: n.end + delta };
                movedRefs.set(n, moved);
                return moved;
            }
        }
    };
    let root: XmlElement | undefined;
    const children = old.children.map((c) => {
        const copied = copy(c, undefined);
        if (c === old.root) root = copied as XmlElement;
        return copied;
    });
    const doctype = old.doctype && {
        ...old.doctype, subsetStart: at(old.doctype.subsetStart), subsetEnd: at(old.doctype.subsetEnd), start: at(old.doctype.start), end: at(old.doctype.end),
    };
    const problems = old.problems.map((p): XmlProblem => (p.start < editStart ? p : { ...p, start: p.start + delta, end: p.end + delta }));
    const entityRefs = old.entityRefs.map((r) => movedRefs.get(r) ?? (r.start < editStart ? r : { ...r, start: r.start + delta, end: r.end + delta }));
    return { text, root, children, doctype, declaredEncoding: old.declaredEncoding, problems, entityRefs };
}

/**
 * The model of the edited text from the model before: moved when the edit is in text the model does
 * not read; with the glossary entries whose definition holds the edit made again; built again from
 * the new tree when a title, caption or glossterm holds the edit, or the entities changed.
 */
export function modelAfterEdit(old: FileModel, oldText: string, edit: TextNodeEdit, entities: EntityTable, sameEntities: boolean): FileModel {
    const { doc, start, end, inserted } = edit;
    const reading = edit.ancestors.filter((a) => MODEL_TEXT_ELEMENTS.has(a.local));
    if (!sameEntities || reading.some((a) => a.local !== 'glossdef' && a.local !== 'glosssee')) return buildFileModel(doc, entities);
    const delta = inserted.length - (end - start);
    const lineStarts = lineStartsAfter(old.lineStarts, oldText, doc.text, start, end, inserted);
    // Findings inside the edited line can appear or go: that line is scanned again, or the whole text.
    const niceness = !old.isDocbook ? [] : nicenessAfterEdit(old.niceness, doc.text, start, oldText.slice(start, end), inserted, MAX_GATE_FINDINGS)
        ?? findNiceness(doc.text, MAX_GATE_FINDINGS);
    const model = movedModel(old, doc, (offset) => (offset < start ? offset : offset + delta), lineStarts, niceness);
    const root = doc.root;
    for (const definition of reading) {
        const entry = definition.parent;
        if (!entry || entry.local !== 'glossentry' || !root) continue;
        const i = model.glossEntries.findIndex((g) => g.entryStart === entry.start);
        if (i < 0) continue;
        const again = glossEntryOf(entry, idAttributeOf(entry, root.ns !== DOCBOOK_NS)?.value, doc.text, entities);
        if (!again) return buildFileModel(doc, entities);
        model.glossEntries[i] = again;
    }
    return model;
}

/** The line starts after the edit: those after it moved, unless the edit adds or removes a line break (then counted again). */
function lineStartsAfter(starts: Uint32Array, oldText: string, text: string, start: number, end: number, inserted: string): Uint32Array {
    // A CR before the edit can pair with an LF after it, or stop pairing.
    if (/[\r\n]/.test(inserted) || /[\r\n]/.test(oldText.slice(start, end)) || oldText.charCodeAt(start - 1) === 13) return computeLineStarts(text);
    const delta = inserted.length - (end - start);
    const moved = starts.slice();
    // The lines after the edit's own line start later (or earlier) by delta.
    for (let line = positionAt(starts, start).line + 1; line < moved.length; line++) moved[line] += delta;
    return moved;
}
