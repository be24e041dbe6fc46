// Serves a cross-encoder over HTTP (TEI /rerank, Cohere /v1/rerank, /info):
//   dotnet run -- --Model ../../../shared/fixtures/tiny-bert-reranker --urls http://127.0.0.1:8080
// Model is a folder or a hub id, read from configuration: --Model, the Model environment variable or appsettings.json.
var builder = WebApplication.CreateBuilder(args);
string model = builder.Configuration["Model"]
    ?? throw new InvalidOperationException("Set Model to a model folder or hub id, e.g. --Model cross-encoder/ms-marco-MiniLM-L6-v2");

builder.Services.AddRerankKit().AddCrossEncoder("reranker", model);

var app = builder.Build();
app.MapRerankKit();
app.Run();
