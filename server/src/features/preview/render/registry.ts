// Which renderer each DocBook element gets: one table, built from the families. Later families win
// over earlier ones for a name both know; divisions win over all (a DocBook index is a division).

import { DIVISION_ELEMENTS } from '../gentext';
import { BLOCK_RENDERERS } from './blocks';
import { ElementRenderer } from './core';
import { division, DIVISION_RENDERERS } from './divisions';
import { INLINE_RENDERERS } from './inline';
import { LINK_RENDERERS } from './links';
import { LIST_RENDERERS } from './lists';
import { MEDIA_RENDERERS } from './media';
import { TABLE_RENDERERS } from './tables';

/** Element name -> renderer. Elements without one are shown as unknown elements, their content kept. */
export const ELEMENT_RENDERERS: ReadonlyMap<string, ElementRenderer> = new Map([
    ...Object.entries(INLINE_RENDERERS),
    ...Object.entries(BLOCK_RENDERERS),
    ...Object.entries(LIST_RENDERERS),
    ...Object.entries(TABLE_RENDERERS),
    ...Object.entries(MEDIA_RENDERERS),
    ...Object.entries(LINK_RENDERERS),
    ...Object.entries(DIVISION_RENDERERS),
    ...[...DIVISION_ELEMENTS].map((name): [string, ElementRenderer] => [name, division]),
]);
