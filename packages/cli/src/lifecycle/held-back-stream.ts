/** A log destination that keeps lines until release(), then writes them and everything after straight through. */
export class HeldBackStream {
  private held: string[] | undefined = [];

  constructor(private readonly target: { write(chunk: string): unknown }) {}

  write(chunk: string): boolean {
    if (this.held === undefined) this.target.write(chunk);
    else this.held.push(chunk);
    return true;
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const chunk of held) this.target.write(chunk);
  }
}
