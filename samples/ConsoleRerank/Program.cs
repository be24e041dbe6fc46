using RerankKit;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: ConsoleRerank <model folder or Hugging Face hub id>");
    return 2;
}

const string query = "How many people live in Berlin?";
string[] documents =
[
    "Berlin is well known for its museums.",
    "Berlin had a population of 3,520,031 registered inhabitants in an area of 891.82 square kilometers.",
    "In 2014, the city state Berlin had 37,368 live births.",
    "The urban area of Berlin comprised about 4.1 million people in 2014.",
];

using var encoder = new CrossEncoder(args[0]);
Console.WriteLine($"Query: {query}");
foreach (var (rank, hit) in encoder.Rank(query, documents, topK: 3).Index())
    Console.WriteLine($"{rank + 1}. [{hit.Index}] {hit.Score:F4}  {hit.Document}");
return 0;
