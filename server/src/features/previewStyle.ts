// The stylesheet lives in preview/style.ts; this path stays while client/src/extension.ts imports it.
export { PREVIEW_STYLE } from './preview/style';
