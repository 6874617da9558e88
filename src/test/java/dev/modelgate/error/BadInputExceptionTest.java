package dev.modelgate.error;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An error is one line whatever the file put into it: the key path is the file's text too. */
class BadInputExceptionTest {
    @Test
    void controlCharactersInTheKeyPathOrTheProblemBecomeSpaces() {
        BadInputException e = new BadInputException(Path.of("m.zip"), Location.UNKNOWN, "configuratio\n.json", "bad\r\u001b[31m entry");
        assertEquals("m.zip: configuratio .json: bad  [31m entry", e.getMessage());
    }
}
