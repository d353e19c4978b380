import "server-only";
import { env } from "@/lib/env";

/** HERALD_SIGNUP=closed: nobody can create an account (the page says so and the action refuses). */
export const signUpOpen = () => env().HERALD_SIGNUP === "open";
