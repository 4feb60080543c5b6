using VqVae.Checkpoints;
using VqVae.Model;

namespace VqVae.Tests.Model.Quantizers;

public class QuantizerConfigTests
{
    [Fact]
    public void A_config_written_before_there_was_a_choice_is_vq_with_one_codebook()
    {
        var json = """{ "model": { "arch": "patch", "channels": 1, "height": 28, "width": 28, "patch_size": 4, "hidden_size": 16, "codebook_size": 8, "conv_channels": 128 }, "epoch": 1 }""";
        var info = CheckpointInfo.FromJson(json, "config.json");
        Assert.Equal(QuantizerKind.Vq, info.Model.Quantizer);
        Assert.Equal(1, info.Model.Depth);
        Assert.Null(info.Model.Levels);
        Assert.Equal(1, info.Model.CodesPerPosition);
    }

    [Fact]
    public void Fsq_and_rvq_configs_survive_the_json_round_trip()
    {
        foreach (var model in new[]
        {
            new ModelConfig { Quantizer = QuantizerKind.Fsq, Levels = new FsqLevels([8, 5, 5, 5]), CodebookSize = 1000 },
            new ModelConfig { Quantizer = QuantizerKind.Rvq, Depth = 4 },
        })
        {
            var json = new CheckpointInfo { Model = model }.ToJson();
            Assert.Equal(model, CheckpointInfo.FromJson(json, "config.json").Model);
        }
        Assert.Contains("\"levels\": [", new CheckpointInfo { Model = new ModelConfig { Quantizer = QuantizerKind.Fsq, Levels = new FsqLevels([4, 4]), CodebookSize = 16 } }.ToJson());
        Assert.DoesNotContain("levels", new CheckpointInfo().ToJson());
    }

    [Theory]
    [InlineData("rvq", 0, null, 128, "depth 0: must be at least 1")]
    [InlineData("vq", 2, null, 128, "only the rvq quantizer")]
    [InlineData("fsq", 1, "8,1,4", 32, "each level must be at least 2")]
    [InlineData("fsq", 1, null, 128, "needs its levels")]
    [InlineData("fsq", 1, "8,4,4", 100, "does not match levels 8,4,4 (128 codes)")]
    [InlineData("vq", 1, "8,4,4", 128, "only the fsq quantizer has levels")]
    public void Impossible_quantizer_shapes_are_named(string kind, int depth, string? levels, int codebookSize, string message)
    {
        KebabCase.TryParse<QuantizerKind>(kind, out var quantizer);
        var config = new ModelConfig
        {
            Quantizer = quantizer, Depth = depth, CodebookSize = codebookSize,
            Levels = levels == null ? null : new FsqLevels(levels.Split(',').Select(int.Parse)),
        };
        Assert.Contains(message, Assert.Throws<InvalidDataException>(config.Validate).Message);
    }

    [Fact]
    public void Levels_that_are_not_numbers_are_named()
    {
        Assert.Contains("--levels 8,x,4: 'x' is not a whole number", Assert.Throws<ArgumentException>(() => FsqLevels.Parse("8,x,4")).Message);
    }

    [Fact]
    public void Old_state_dict_names_are_kept_for_vq_and_each_kind_names_its_own()
    {
        Assert.Contains("codebook.weight", new VqVaeModel(new ModelConfig { HiddenSize = 8, CodebookSize = 4 }).state_dict().Keys);
        Assert.Contains("codebooks.levels.1.weight", new VqVaeModel(new ModelConfig { HiddenSize = 8, CodebookSize = 4, Quantizer = QuantizerKind.Rvq, Depth = 2 }).state_dict().Keys);
        Assert.Contains("fsq.project_in.weight", new VqVaeModel(new ModelConfig { HiddenSize = 8, CodebookSize = 16, Quantizer = QuantizerKind.Fsq, Levels = new FsqLevels([4, 4]) }).state_dict().Keys);
    }
}
