import { z } from "zod";
import { text } from "./text";

export const signInSchema = z.object({
  email: z.email("Enter a valid email").max(320).transform((e) => e.toLowerCase()),
  password: text().min(1, "Enter your password").max(200),
});

export const signUpSchema = z.object({
  name: text().trim().min(1, "Enter your name").max(80),
  email: z.email("Enter a valid email").max(320).transform((e) => e.toLowerCase()),
  password: text().min(8, "Use at least 8 characters").max(200),
});
