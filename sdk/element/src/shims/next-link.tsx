import type { AnchorHTMLAttributes } from "react";

// next/link for a host page: an ordinary link.
export default function Link({ href, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a href={href} {...rest} />;
}
