"use client";

// The helper hands the result to the element's page; on the server it does nothing.
import "videoid-capture/return";

export function Return() {
  return null;
}
