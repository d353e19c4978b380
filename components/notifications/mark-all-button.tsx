import { CheckCheckIcon } from "@/components/ui/icons";

/** "Mark all as read" for the bell and the inbox; disabled when nothing is unread. */
export function MarkAllReadButton({ unread, onClick, className, iconClassName }: { unread: number; onClick: () => void; className: string; iconClassName: string }) {
  return (
    <button type="button" onClick={onClick} disabled={unread === 0} className={className}>
      <CheckCheckIcon className={iconClassName} /> Mark all as read
    </button>
  );
}
