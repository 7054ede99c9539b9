'use client';

import { useEffect, useId, useRef } from 'react';
import './cases.css';

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, Escape closes it and focus
 * returns to the opener — no extra library and no Bootstrap JS needed.
 */
export function Dialog({ open, title, onClose, children, footer, testId, closeLabel }: { open: boolean; title: string; onClose: () => void; children: React.ReactNode; footer: React.ReactNode; testId?: string; closeLabel: string }) {
  const ref = useRef<HTMLDialogElement | null>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="case-dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <div className="modal-content">
          <div className="modal-header">
            <h2 id={titleId} className="modal-title h5">
              {title}
            </h2>
            <button type="button" className="btn-close" aria-label={closeLabel} onClick={onClose} />
          </div>
          <div className="modal-body">{children}</div>
          <div className="modal-footer">{footer}</div>
        </div>
      )}
    </dialog>
  );
}
