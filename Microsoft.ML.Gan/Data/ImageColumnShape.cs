using System;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Data;

/// <summary>What every trainer's <c>GetOutputSchema</c> checks about its image column before any data is read.</summary>
internal static class ImageColumnShape
{
    /// <summary>Throws, naming the column, unless <paramref name="inputSchema"/> has an MLImage or float-vector column <paramref name="columnName"/>.</summary>
    public static void Require(SchemaShape inputSchema, string columnName)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column image = inputSchema.FirstOrDefault(column => column.Name == columnName);
        if (image.Name == null)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"The input has no image column '{columnName}'. Columns present: {string.Join(", ", inputSchema.Select(column => column.Name))}.");
        }
        bool isImage = image.ItemType is Microsoft.ML.Transforms.Image.ImageDataViewType && image.Kind == SchemaShape.Column.VectorKind.Scalar;
        bool isFloatVector = image.ItemType == NumberDataViewType.Single && image.Kind == SchemaShape.Column.VectorKind.Vector;
        if (!isImage && !isFloatVector)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Column '{columnName}' must hold images (MLImage) or a known-size vector of Single pixels; it holds {image.Kind} of {image.ItemType}.");
        }
    }
}
