namespace Detect.Tasks.Tests.Analysis.Geocoding;

/// <summary>A tiny gazetteer in the format scripts/fetch-gazetteer.sh produces, written to a temp directory.</summary>
internal sealed class TestGazetteer : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("gazetteer-").FullName;

    public TestGazetteer()
    {
        File.WriteAllText(Path.Combine(Directory, "places.tsv"), string.Join("\n",
            "name\tlat\tlng\tcountry_code\tadmin1",
            "Alpha Town\t0.10000\t0.10000\tAA\tNorth Province",
            "Alpha Village\t0.10000\t0.30000\tAA\t",
            "Beta City\t0.10000\t2.20000\tBB\tBeta State",
            "Far East\t10.00000\t179.95000\tCC\tIsland Region",
            "Twin One\t20.00000\t20.10000\tAA\tEast",
            "Twin Two\t20.00000\t19.90000\tAA\tWest") + "\n");
        // country AA: lon 0..1, lat 0..1; country BB: lon 2..3, lat 0..1; (1..2 is sea)
        File.WriteAllText(Path.Combine(Directory, "countries.geojson"), """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"name":"Aland","country_code":"AA"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
             {"type":"Feature","properties":{"name":"Bland","country_code":"BB"},"geometry":{"type":"MultiPolygon","coordinates":[[[[2,0],[3,0],[3,1],[2,1],[2,0]]]]}}
            ]}
            """);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
