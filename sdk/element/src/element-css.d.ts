declare module "herald:element-css" {
  export const ELEMENT_CSS: string;
}
