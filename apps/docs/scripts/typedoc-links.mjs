// A TypeDoc plugin for the API reference: each package's page opens with its README,
// whose "Part of [Hone](../../README.md)" link TypeDoc copies to api/_media/README.md, a
// file the site does not render. Point it at the site's home page instead.
import { MarkdownPageEvent } from "typedoc-plugin-markdown";

/**
 * @param {import("typedoc-plugin-markdown").MarkdownApplication} app
 * @returns {void}
 */
export function load(app) {
  app.renderer.on(MarkdownPageEvent.END, (page) => {
    if (page.contents !== undefined) page.contents = page.contents.replace(/\]\((?:\.\.\/)*_media\/README\.md\)/g, "](/)");
  });
}
