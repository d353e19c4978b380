import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/respond";

// Any /api path no route handles: JSON like every other API answer, not the HTML 404 page.
const unknownPath = async (request: Request) =>
  errorResponse(new AppError("not_found", `No API endpoint at ${new URL(request.url).pathname}; see /api/openapi.json`));

export { unknownPath as GET, unknownPath as POST, unknownPath as PUT, unknownPath as PATCH, unknownPath as DELETE };
