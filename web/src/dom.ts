/** The page's DOM helper, for both pages: the element of id `id` (the pages' HTML has every id the code asks for). */
export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
