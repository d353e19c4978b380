/** The start of a long text on one line: bodies may be 20,000 characters, previews show a glance. */
export function preview(text: string, max = 160) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
