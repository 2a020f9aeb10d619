import type { ComponentChildren } from 'preact';

/** Common frame of every Vigil page. */
export function Shell(props: { title: string; children?: ComponentChildren }) {
  return (
    <main class="vigil">
      <header>
        <span class="logo" aria-hidden="true">
          V
        </span>
        <h1>{props.title}</h1>
      </header>
      {props.children}
    </main>
  );
}
