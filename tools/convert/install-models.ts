console.log("models: nothing yet");
