/** One error of the catalogue: what it says and what the reader can do about it. */
export interface ErrorEntry {
  /** What the error says, with {placeholders} for what each occurrence fills in. */
  readonly message: string;
  /** What the user (or the planner, for the agent's own codes) can change to get past it. */
  readonly action: string;
}

/** A family of codes, one section of docs/errors.md. */
export interface ErrorFamily<C extends string = string> {
  readonly title: string;
  /** Who raises these and where the user meets them. */
  readonly about: string;
  readonly codes: { readonly [code in C]: ErrorEntry };
}
