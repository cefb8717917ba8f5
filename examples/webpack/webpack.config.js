// webpack 5 follows the package's `new URL("./…", import.meta.url)` by itself
// (asset modules): no configuration for the wasm. The page is index.html.
import HtmlWebpackPlugin from "html-webpack-plugin";

export default {
  mode: "production",
  entry: "./main.js",
  output: { clean: true },
  plugins: [new HtmlWebpackPlugin({ template: "index.html" })],
};
