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

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(200),
    newPassword: z.string().min(8, "Use at least 8 characters for the new password").max(200, "Use at most 200 characters"),
  })
  .refine((v) => v.newPassword !== v.currentPassword, { message: "Choose a new password different from the current one", path: ["newPassword"] });

export const deleteAccountSchema = z.object({
  password: z.string().min(1, "Enter your password to confirm").max(200),
});
