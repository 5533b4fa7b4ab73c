import llama3 from "llama3-tokenizer-js";
import llama2 from "llama-tokenizer-js";
test("tokenizers load under jest", () => {
  expect(llama3.encode("Hello world", { bos: false, eos: false })).toHaveLength(2);
  expect(llama2.encode("Hello world")).toEqual([1, 15043, 3186]);
});
