import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { expect, it } from "vitest";
import { HeraldInbox } from "../../sdk/react/src/index";

it("herald-react renders on the server as a placeholder element, touching no window", () => {
  expect(typeof window).toBe("undefined");
  const html = renderToString(
    createElement(HeraldInbox, { server: "https://herald.example", tokenEndpoint: "/herald-token", theme: "dark", toasts: false, className: "bell", getToken: async () => "t" }),
  );
  expect(html).toBe('<herald-inbox server="https://herald.example" token-endpoint="/herald-token" theme="dark" toasts="false" class="bell"></herald-inbox>');
});
