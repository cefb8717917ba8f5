// @vitest-environment happy-dom
import { test, expect } from "vitest";
import { domTests } from "../dom-tests.js";

domTests(test, expect);
