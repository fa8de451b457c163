package network.subnet.validator.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Parquet files with a top-level string column {@code text} and, optionally, a string or integer column {@code id}
 * (FineWeb's layout). Only those columns are read; null texts are skipped like empty texts, a null id falls back to the row's
 * location.
 */
public final class ParquetTextReader implements TextReader {

  static final String COLUMN = "text";
  static final String ID_COLUMN = "id";

  @Override
  public void read(Path file, Consumer<TextDocument> visitor) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      MessageType projection = textOnly(file, schema);
      reader.setRequestedSchema(projection);
      MessageColumnIO io = new ColumnIOFactory().getColumnIO(projection, schema);
      long row = 0;
      PageReadStore rowGroup;
      while ((rowGroup = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records = io.getRecordReader(rowGroup, new GroupRecordConverter(projection));
        for (long i = 0, n = rowGroup.getRowCount(); i < n; i++, row++) {
          Group group = records.read();
          if (group.getFieldRepetitionCount(COLUMN) > 0) {
            String location = file + ":row " + row;
            String id = idOf(projection, group).orElse(location);
            visitor.accept(new TextDocument(id, location, group.getString(COLUMN, 0)));
          }
        }
      }
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a readable Parquet file: " + e.getMessage(), e);
    }
  }

  private static MessageType textOnly(Path file, MessageType schema) throws IOException {
    if (!schema.containsField(COLUMN)) {
      throw new IOException(
          file + ": Parquet file has no \"" + COLUMN + "\" column (columns: " + fieldNames(schema) + ")");
    }
    Type field = schema.getType(COLUMN);
    if (!isString(field)) {
      throw new IOException(file + ": Parquet column \"" + COLUMN + "\" is " + field + ", expected a string");
    }
    Type id = schema.containsField(ID_COLUMN) ? schema.getType(ID_COLUMN) : null;
    if (id != null && (isString(id) || isInteger(id))) {
      return Types.buildMessage().addField(field).addField(id).named(schema.getName());
    }
    return Types.buildMessage().addField(field).named(schema.getName());
  }

  /** The row's {@code id} as text, when the file has a string or integer id column and the row a value in it. */
  private static Optional<String> idOf(MessageType projection, Group group) {
    if (!projection.containsField(ID_COLUMN) || group.getFieldRepetitionCount(ID_COLUMN) == 0) {
      return Optional.empty();
    }
    return Optional.of(switch (projection.getType(ID_COLUMN).asPrimitiveType().getPrimitiveTypeName()) {
      case INT32 -> Integer.toString(group.getInteger(ID_COLUMN, 0));
      case INT64 -> Long.toString(group.getLong(ID_COLUMN, 0));
      default -> group.getString(ID_COLUMN, 0);
    });
  }

  private static boolean isInteger(Type field) {
    if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
      return false;
    }
    PrimitiveType.PrimitiveTypeName type = field.asPrimitiveType().getPrimitiveTypeName();
    return type == PrimitiveType.PrimitiveTypeName.INT32 || type == PrimitiveType.PrimitiveTypeName.INT64;
  }

  private static boolean isString(Type field) {
    return field.isPrimitive()
        && field.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
        && !field.isRepetition(Type.Repetition.REPEATED);
  }

  private static String fieldNames(MessageType schema) {
    return String.join(", ", schema.getFields().stream().map(Type::getName).toList());
  }
}
