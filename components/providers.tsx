"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { Toaster } from "sonner";

export function Providers({ children }: { children: React.ReactNode }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 } } }),
  );
  return (
    <QueryClientProvider client={client}>
      {children}
      <Toaster
        position="bottom-right"
        richColors
        closeButton
        theme="system"
        visibleToasts={5}
        containerAriaLabel="Alerts"
        toastOptions={{ classNames: { toast: "font-sans", title: "!font-semibold", description: "!text-[13px] !leading-snug" } }}
      />
    </QueryClientProvider>
  );
}
