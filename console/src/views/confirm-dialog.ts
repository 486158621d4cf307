import { h, replaceChildren } from '../dom.js';

export interface Confirmation {
  readonly title: string;
  readonly message: string;
  /** Topics (or ids) of what is affected; the first few are listed. */
  readonly items: readonly string[];
  readonly confirmLabel: string;
  readonly danger: boolean;
}

const LISTED = 5;

/**
 * Asks before a recycle-bin action. A modal `<dialog>`; Cancel has the initial focus so Enter
 * never confirms by accident; Escape cancels. Resolves `true` only on the confirm button.
 */
export class ConfirmDialog {
  readonly element: HTMLDialogElement;
  private readonly title = h('h2', { id: 'confirm-title' });
  private readonly body = h('div', { id: 'confirm-body' });
  private readonly confirm = h('button', { type: 'button' });
  private readonly cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
  private resolve: ((ok: boolean) => void) | null = null;
  private opener: Element | null = null;

  constructor() {
    this.element = h(
      'dialog',
      { class: 'confirm', role: 'alertdialog', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-body' },
      this.title,
      this.body,
      h('div', { class: 'dialog-actions' }, this.cancel, this.confirm),
    );
    this.confirm.addEventListener('click', () => this.finish(true));
    this.cancel.addEventListener('click', () => this.finish(false));
    this.element.addEventListener('close', () => this.finish(false));
  }

  ask(question: Confirmation): Promise<boolean> {
    this.opener = document.activeElement;
    this.title.textContent = question.title;
    const list = h('ul', {});
    for (const item of question.items.slice(0, LISTED)) list.append(h('li', {}, item));
    if (question.items.length > LISTED) list.append(h('li', {}, `and ${question.items.length - LISTED} more`));
    replaceChildren(this.body, h('p', {}, question.message), list);
    this.confirm.textContent = question.confirmLabel;
    this.confirm.className = question.danger ? 'danger' : 'primary';
    this.element.showModal();
    this.cancel.focus();
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  private finish(ok: boolean): void {
    const resolve = this.resolve;
    if (resolve === null) return;
    this.resolve = null;
    if (this.element.open) this.element.close();
    if (this.opener instanceof HTMLElement && this.opener.isConnected) this.opener.focus();
    resolve(ok);
  }
}
