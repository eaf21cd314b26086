// The analysis clients' polling client (docs/api.md, Article analysis), run with node against
// a live TaskLedger. Their TypeScript has no type annotations, so it runs as-is as
// JavaScript; what is added: the base URL and token (authentication), the file, and the UI
// callbacks it calls.
//   node analysis_client.mjs <base_url> <token> <spec_path>
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const [base, token, specPath] = process.argv.slice(2);
const headers = { Authorization: `Token ${token}` };
const fetchApi = (path, options = {}) => fetch(`${base}${path}`, { ...options, headers });
const file = new File([readFileSync(specPath)], basename(specPath), { type: "text/plain" });
const setIsLoading = (loading) => console.error(`loading: ${loading}`);
const showResults = (article) => { console.log(JSON.stringify({ ok: true, article })); process.exit(0); };
const showError = (error) => { console.log(JSON.stringify({ ok: false, error })); process.exit(1); };
setTimeout(() => showError("timed out after 2 minutes"), 120_000);  // the clients' "maximum timeout"

// 1. Submit article for analysis
const formData = new FormData();
formData.append("articleName", "Widget A");
formData.append("productSpecification", file);

const response = await fetchApi("/api/analyze", {
  method: "POST",
  body: formData,
});

const article = await response.json();
const articleId = article.id;

// 2. Show loading state and start polling
setIsLoading(true);

const pollInterval = setInterval(async () => {
  const statusResponse = await fetchApi(`/api/articles/${articleId}/status`);
  const status = await statusResponse.json();

  if (status.processing_status === "completed") {
    clearInterval(pollInterval);
    setIsLoading(false);

    // 3. Fetch full article data
    const fullDataResponse = await fetchApi(`/api/articles/${articleId}`);
    const fullArticle = await fullDataResponse.json();

    // Display results
    showResults(fullArticle);
  } else if (status.processing_status === "failed") {
    clearInterval(pollInterval);
    setIsLoading(false);

    // Show error
    showError(status.processing_error);
  }
}, 250); // the clients poll every 2.5 s; a test need not wait that long
