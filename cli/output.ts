/** What commands print on stdout: JSON, indented for people, one line with --json (for machines). */
export function printJson(value: unknown, json: boolean | undefined): void {
  console.log(JSON.stringify(value, null, json ? 0 : 2));
}
