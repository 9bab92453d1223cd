using Microsoft.ML;
using Microsoft.ML.Gan;

// One worker of a sharded generation job: dotnet run -- MODEL.zip k [perShard]. Workers 0 … N−1 with the same model
// and seed together write exactly the images one machine would (docs/scale-out.md); any shard can be re-run.
// MODEL.zip: a saved GAN, e.g. the QuickStart sample's model.zip (LoadModel also finds the GAN inside a saved pipeline).
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ShardedGeneration MODEL.zip SHARD-INDEX [IMAGES-PER-SHARD]");
    return 2;
}
string modelPath = args[0];
int k = int.Parse(args[1]);
int perShard = args.Length > 2 ? int.Parse(args[2]) : 10_000;

var mlContext = new MLContext();
using GanTransformer model = mlContext.Gan().LoadModel<GanTransformer>(modelPath);

// worker k of N, each generating `perShard` images
IDataView shard = model.Generate(perShard, seed: 2024, startIndex: (long)k * perShard);
GanImages.SavePngs(shard, $"out/shard-{k:D4}", firstIndex: (long)k * perShard);   // files named by global index

Console.WriteLine($"Shard {k}: images {(long)k * perShard} to {(long)(k + 1) * perShard - 1} in out/shard-{k:D4}");
return 0;
